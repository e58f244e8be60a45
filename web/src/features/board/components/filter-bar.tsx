import { useEffect, useState } from 'react';
import { PRIORITIES, PRIORITY_LABEL, TYPES, TYPE_LABEL } from '../../../lib/task-vocabulary';
import { type BoardSearch, hasFilters } from '../filters';

export type FilterChoices = {
  people: { id: string; name: string }[];
  epics: { id: string; title: string }[];
  sprints: { id: string; name: string }[];
};

type FilterBarProps = { search: BoardSearch; choices: FilterChoices; onChange: (next: BoardSearch) => void };

/** The board's filters; every change lands in the URL, which is what the board reads. */
export function FilterBar({ search, choices, onChange }: FilterBarProps) {
  const set = (key: keyof BoardSearch, value: string) => onChange({ ...search, [key]: value || undefined });
  const [text, setText] = useState(search.q ?? '');
  useEffect(() => setText(search.q ?? ''), [search.q]);
  // Typing waits for a pause before it becomes a search, so each key press is not a request.
  useEffect(() => {
    if (text.trim() === (search.q ?? '')) return;
    const timer = setTimeout(() => onChange({ ...search, q: text.trim() || undefined }), 350);
    return () => clearTimeout(timer);
  }, [text, search, onChange]);

  return (
    <form className="filter-bar" role="search" aria-label="Filter the board" onSubmit={(event) => event.preventDefault()}>
      <label>
        Search
        <input type="search" value={text} maxLength={200} onChange={(event) => setText(event.target.value)} />
      </label>
      <label>
        Assignee
        <select value={search.assignee ?? ''} onChange={(event) => set('assignee', event.target.value)}>
          <option value="">Anyone</option>
          <option value="me">Me</option>
          <option value="none">Unassigned</option>
          {choices.people.map((person) => (
            <option key={person.id} value={person.id}>
              {person.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        Priority
        <select value={search.priority ?? ''} onChange={(event) => set('priority', event.target.value)}>
          <option value="">Any</option>
          {PRIORITIES.map((priority) => (
            <option key={priority} value={priority}>
              {PRIORITY_LABEL[priority]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Type
        <select value={search.type ?? ''} onChange={(event) => set('type', event.target.value)}>
          <option value="">Any</option>
          {TYPES.map((type) => (
            <option key={type} value={type}>
              {TYPE_LABEL[type]}
            </option>
          ))}
        </select>
      </label>
      <label>
        Epic
        <select value={search.epic ?? ''} onChange={(event) => set('epic', event.target.value)}>
          <option value="">Any</option>
          <option value="none">No epic</option>
          {choices.epics.map((epic) => (
            <option key={epic.id} value={epic.id}>
              {epic.title}
            </option>
          ))}
        </select>
      </label>
      <label>
        Sprint
        <select value={search.sprint ?? ''} onChange={(event) => set('sprint', event.target.value)}>
          <option value="">Any</option>
          <option value="none">Backlog (no sprint)</option>
          {choices.sprints.map((sprint) => (
            <option key={sprint.id} value={sprint.id}>
              {sprint.name}
            </option>
          ))}
        </select>
      </label>
      {hasFilters(search) ? (
        <button type="button" className="button-quiet" onClick={() => onChange({})}>
          Clear filters
        </button>
      ) : null}
    </form>
  );
}
