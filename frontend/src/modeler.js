// The embedded BPMN modeller: loads the draft of a process model, lets the process owner edit it and saves it
// back as XML. The page itself (template) carries the URLs and the translated texts in data attributes.
import Modeler from "bpmn-js/lib/Modeler";
import camunda from "camunda-bpmn-moddle/resources/camunda.json";

import { fetchXml, followResize, labelDrawing, message } from "./common";

function start(root) {
  const canvasElement = root.querySelector("[data-canvas]");
  const saveButton = root.querySelector("[data-save]");
  const status = root.querySelector("[data-status]");
  const errorBox = root.querySelector("[data-errors]");
  const csrfField = root.querySelector('input[name="csrfmiddlewaretoken"]');
  if (!canvasElement || !saveButton || !status || !errorBox) return;

  const msg = (name, values) => message(root, name, values);
  // The Camunda extension (forms, candidate groups, connectors) is what the engine executes: known to the
  // modeller, it survives copy, paste and element replacement.
  const modeler = new Modeler({ container: canvasElement, moddleExtensions: { camunda } });
  const canvas = modeler.get("canvas");
  labelDrawing(root, canvasElement);
  let loaded = false;
  let dirty = false;
  let saving = false;

  function showErrors(detail, items = []) {
    const paragraph = document.createElement("p");
    paragraph.textContent = detail;
    const nodes = [paragraph];
    // One problem is already spelled out in the summary; several read better as a list.
    if (items.length > 1 || (items.length === 1 && !detail.includes(items[0]))) {
      const list = document.createElement("ul");
      for (const item of items) {
        const entry = document.createElement("li");
        entry.textContent = item;
        list.append(entry);
      }
      nodes.push(list);
    }
    errorBox.replaceChildren(...nodes);
    errorBox.hidden = false;
  }

  function clearErrors() {
    errorBox.replaceChildren();
    errorBox.hidden = true;
  }

  async function load() {
    status.textContent = msg("msgLoading");
    try {
      const { warnings } = await modeler.importXML(await fetchXml(root.dataset.sourceUrl));
      canvas.zoom("fit-viewport", "auto");
      loaded = true;
      saveButton.disabled = false;
      status.textContent = warnings.length ? msg("msgLoadedWarnings", { count: warnings.length }) : msg("msgLoaded");
    } catch (error) {
      status.textContent = "";
      showErrors(msg("msgLoadFailed"), [error && error.message ? error.message : String(error)]);
    }
  }

  async function save() {
    if (!loaded || saving) return;
    saving = true;
    // aria-disabled instead of disabled: a disabled button would drop the keyboard focus.
    saveButton.setAttribute("aria-disabled", "true");
    root.setAttribute("aria-busy", "true");
    clearErrors();
    status.textContent = msg("msgSaving");
    try {
      const { xml } = await modeler.saveXML({ format: true });
      const response = await fetch(root.dataset.saveUrl, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/xml; charset=utf-8",
          Accept: "application/json",
          "X-CSRFToken": csrfField ? csrfField.value : "",
        },
        body: xml,
      });
      const answer = await response.json().catch(() => ({}));
      if (response.ok && answer.ok) {
        dirty = false;
        status.textContent = msg("msgSaved", { time: new Date().toLocaleTimeString(document.documentElement.lang) });
      } else {
        status.textContent = msg("msgNotSaved");
        const detail = response.status === 413 ? msg("msgTooLarge") : answer.detail || msg("msgSaveFailed");
        showErrors(detail, Array.isArray(answer.errors) ? answer.errors : []);
      }
    } catch (error) {
      status.textContent = msg("msgNotSaved");
      showErrors(msg("msgSaveFailed"));
    } finally {
      saving = false;
      saveButton.removeAttribute("aria-disabled");
      root.removeAttribute("aria-busy");
    }
  }

  modeler.on("commandStack.changed", () => {
    if (!loaded) return;
    dirty = true;
    status.textContent = msg("msgUnsaved");
  });
  saveButton.addEventListener("click", save);
  root.addEventListener("keydown", (event) => {
    if ((event.ctrlKey || event.metaKey) && event.key.toLowerCase() === "s") {
      event.preventDefault();
      save();
    }
  });
  window.addEventListener("beforeunload", (event) => {
    if (!dirty) return;
    event.preventDefault();
    event.returnValue = ""; // older browsers ask only when a value is set
  });
  followResize(canvas);
  load();
}

for (const root of document.querySelectorAll("[data-bpmn-modeler]")) start(root);
