import ReactMarkdown from 'react-markdown';

/**
 * Markdown as React elements. Raw HTML is not rendered (no rehype-raw) and link targets pass
 * react-markdown's URL filter, so a description cannot inject markup or `javascript:` links.
 */
export function Markdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      <ReactMarkdown skipHtml>{text}</ReactMarkdown>
    </div>
  );
}
