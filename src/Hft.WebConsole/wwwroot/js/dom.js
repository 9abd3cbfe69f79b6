// Small DOM helpers: build elements without innerHTML (nothing the server sends is ever parsed as markup).

/** el('td', {class: 'buy'}, 'text', child...) */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else if (name === 'dataset') Object.assign(node.dataset, value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : String(child));
  }
  return node;
}

export const byId = (id) => document.getElementById(id);

/** Replaces a table body's rows. */
export function fillRows(tbody, rows) {
  tbody.replaceChildren(...rows);
}

/** Shows a message in a role=alert element, styled as an error or a success. */
export function say(node, text, kind = 'error') {
  node.textContent = text ?? '';
  node.className = 'message ' + (text ? kind : '');
}

export const time = (iso) => (iso ? new Date(iso).toLocaleTimeString([], { hour12: false }) : '');
