// HipChat curated the HTML of notifications and glance labels: only a, b, i, strong, em, br, img,
// pre, code, lists and tables survive. Here anything else is shown as escaped text, attributes are
// kept only from a short list, and links/images must be http(s). Parsing happens in an inert
// document (DOMParser), so nothing in the input loads or runs before it is rebuilt.

const ALLOWED = {
  a: ['href', 'title'],
  b: [], i: [], strong: [], em: [], br: [], pre: [], code: [],
  img: ['src', 'alt', 'title', 'width', 'height'],
  ul: [], ol: [], li: [],
  table: [], caption: [], thead: [], tbody: [], tfoot: [], tr: [],
  th: ['colspan', 'rowspan'], td: ['colspan', 'rowspan'],
};
const URL_ATTRIBUTES = new Set(['href', 'src']);
const VOID = new Set(['br', 'img', 'hr', 'input', 'meta', 'link', 'area', 'base', 'col', 'embed', 'source', 'track', 'wbr']);

function safeUrl(value, allowMailto) {
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' || (allowMailto && url.protocol === 'mailto:');
  } catch {
    return false;
  }
}

function openingTag(element) {
  const attributes = [...element.attributes].map((attr) => (attr.value === '' ? ` ${attr.name}` : ` ${attr.name}="${attr.value}"`)).join('');
  return `<${element.localName}${attributes}>`;
}

function rebuild(node, target) {
  for (const child of node.childNodes) {
    if (child.nodeType === Node.TEXT_NODE) {
      target.append(child.data);
      continue;
    }
    if (child.nodeType !== Node.ELEMENT_NODE) continue;
    const name = child.localName;
    const allowed = ALLOWED[name];
    const imageWithoutSource = name === 'img' && !safeUrl(child.getAttribute('src') ?? '', false);
    if (!allowed || imageWithoutSource) {
      target.append(openingTag(child));
      rebuild(child.localName === 'template' ? child.content : child, target);
      if (!VOID.has(name)) target.append(`</${name}>`);
      continue;
    }
    const clean = document.createElement(name);
    for (const attribute of allowed) {
      const value = child.getAttribute(attribute);
      if (value === null) continue;
      if (URL_ATTRIBUTES.has(attribute) && !safeUrl(value, name === 'a')) continue;
      clean.setAttribute(attribute, value);
    }
    if (name === 'a') {
      clean.setAttribute('target', '_blank');
      clean.setAttribute('rel', 'noopener noreferrer');
    }
    rebuild(child, clean);
    target.append(clean);
  }
}

/** A DocumentFragment holding the curated version of `html`. */
export function sanitizeHtml(html) {
  const parsed = new DOMParser().parseFromString(`<body>${String(html ?? '')}</body>`, 'text/html');
  const fragment = document.createDocumentFragment();
  rebuild(parsed.body, fragment);
  return fragment;
}
