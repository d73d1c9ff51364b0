// Small DOM helpers. Text always goes into the page as text, never as HTML: names, descriptions
// and error messages come from data and from other systems.

export function el(tag, attributes, ...children) {
  const node = document.createElement(tag);
  Object.assign(node, attributes || {});
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

export function say(text) {
  const message = document.getElementById("message");
  if (message) message.textContent = text || "";
}
