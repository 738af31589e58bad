// Helpers shared by the modeller and the viewer page scripts.

// A text of the page: translated by the template into a data attribute (`data-msg-saved` -> "msgSaved"),
// with `{name}` placeholders filled in.
export function message(element, name, values = {}) {
  return Object.entries(values).reduce(
    (text, [key, value]) => text.replace(`{${key}}`, String(value)),
    element.dataset[name] || "",
  );
}

// Element IDs from a space-separated data attribute (BPMN IDs are XML names and contain no spaces).
export function idList(value) {
  return (value || "").split(/\s+/).filter(Boolean);
}

export async function fetchXml(url) {
  const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/xml" } });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.text();
}

// diagram-js measures its container only on demand; tell it when the window changes size (and, where the
// user does not zoom themselves, fit the diagram again).
export function followResize(canvas, { fit = false } = {}) {
  let pending = 0;
  window.addEventListener("resize", () => {
    window.clearTimeout(pending);
    pending = window.setTimeout(() => {
      canvas.resized();
      if (fit) canvas.zoom("fit-viewport", "auto");
    }, 150);
  });
}

// diagram-js makes its drawing (an <svg>) focusable for keyboard shortcuts; give it a name and, where the page
// has one, the text that describes it.
export function labelDrawing(root, canvasElement) {
  const svg = canvasElement.querySelector(".djs-container > svg");
  if (!svg) return;
  if (root.dataset.canvasLabel) svg.setAttribute("aria-label", root.dataset.canvasLabel);
  if (canvasElement.dataset.describedBy) svg.setAttribute("aria-describedby", canvasElement.dataset.describedBy);
}
