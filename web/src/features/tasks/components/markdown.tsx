// Shared with documents: the one Markdown renderer lives in components/.
export { Markdown } from '../../../components/markdown';
