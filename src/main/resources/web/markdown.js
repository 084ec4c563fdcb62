// Markdown from the model, rendered and sanitised: marked → DOMPurify → highlight.js (globals from the WebJars).

const {marked, DOMPurify, hljs} = window;

// HTML written by the model is shown as text: an answer needs none, and parsing it would let it try inline scripts
// and styles (which the Content-Security-Policy blocks, noisily).
const escapeHtml = text => text.replace(/[&<>"']/g, c => ({'&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;'})[c]);
marked.use({gfm: true, breaks: true, renderer: {html: ({text}) => escapeHtml(text)}});

// Links open in a new tab and do not hand this page to the one they open.
DOMPurify.addHook('afterSanitizeAttributes', node => {
  if (node.tagName === 'A' && node.hasAttribute('href')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
});

const PURIFY = {
  USE_PROFILES: {html: true},
  // Inline styles would break the Content-Security-Policy (and a model has no business styling the page); forms and
  // media are not needed in an answer.
  FORBID_TAGS: ['style', 'form', 'input', 'button', 'textarea', 'select', 'img', 'video', 'audio', 'iframe'],
  FORBID_ATTR: ['style'],
  ADD_ATTR: ['target'],
};

/** Renders markdown text into el: sanitised HTML, code blocks highlighted. */
export function renderMarkdown(el, text) {
  el.innerHTML = DOMPurify.sanitize(marked.parse(String(text ?? '')), PURIFY);
  for (const block of el.querySelectorAll('pre code')) {
    const language = [...block.classList].find(c => c.startsWith('language-'))?.slice('language-'.length);
    if (language && !hljs.getLanguage(language)) block.classList.remove('language-' + language);
    hljs.highlightElement(block);
  }
  return el;
}

export function markdown(text, className = 'markdown') {
  return renderMarkdown(Object.assign(document.createElement('div'), {className}), text);
}
