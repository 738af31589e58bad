// Read-only process diagrams: draws the BPMN of each `[data-bpmn-viewer]` box and marks the elements an
// instance is waiting in (data-active) and those it has completed (data-done).
import Viewer from "bpmn-js/lib/Viewer";

import { fetchXml, followResize, idList, labelDrawing, message } from "./common";

const MARKERS = { active: "af-active", done: "af-done" };

async function show(root) {
  const canvasElement = root.querySelector("[data-canvas]");
  const errorBox = root.querySelector("[data-viewer-error]");
  if (!canvasElement) return;
  const viewer = new Viewer({ container: canvasElement });
  labelDrawing(root, canvasElement);
  try {
    await viewer.importXML(await fetchXml(root.dataset.bpmnUrl));
  } catch (error) {
    canvasElement.hidden = true;
    if (errorBox) {
      errorBox.textContent = message(root, "msgLoadFailed");
      errorBox.hidden = false;
    }
    return;
  }
  const canvas = viewer.get("canvas");
  const registry = viewer.get("elementRegistry");
  for (const [state, marker] of Object.entries(MARKERS)) {
    for (const id of idList(root.dataset[state])) {
      // IDs this diagram does not draw (e.g. tasks of a called process) are skipped: addMarker would throw.
      if (registry.get(id)) canvas.addMarker(id, marker);
    }
  }
  canvas.zoom("fit-viewport", "auto");
  followResize(canvas, { fit: true });
  root.classList.add("is-loaded");
}

for (const root of document.querySelectorAll("[data-bpmn-viewer]")) show(root);
