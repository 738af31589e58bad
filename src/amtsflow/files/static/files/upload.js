// Multi-file upload (case documents, invoices): drag and drop, upload progress, result without reloading the page.
// The form works without this script (plain multipart POST, result as messages after a redirect).
(() => {
  "use strict";

  const form = document.querySelector("form[data-upload]");
  if (!form || !window.XMLHttpRequest || !window.FormData) return;

  const input = form.querySelector('input[type="file"]');
  const list = form.querySelector("[data-file-list]");
  const progressBox = form.querySelector("[data-progress]");
  const progress = progressBox && progressBox.querySelector("progress");
  const status = form.querySelector("[data-status]");
  const button = form.querySelector('button[type="submit"]');
  const hint = form.querySelector("[data-drop-hint]");
  if (!input || !status) return;

  const message = (name, values = {}) =>
    Object.entries(values).reduce((text, [key, value]) => text.replace(`{${key}}`, value), form.dataset[name] || "");

  function formatSize(bytes) {
    if (bytes < 1024) return `${bytes} B`;
    if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
    return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  }

  function showSelection() {
    if (!list) return;
    list.replaceChildren(
      ...Array.from(input.files, (file) => {
        const item = document.createElement("li");
        item.textContent = `${file.name} (${formatSize(file.size)})`;
        return item;
      }),
    );
    list.hidden = input.files.length === 0;
    status.textContent = input.files.length ? message("msgSelected", { count: input.files.length }) : "";
  }

  // Drag and drop: dropped files join those already chosen; the file input stays the keyboard way in.
  if (hint && "DataTransfer" in window) {
    hint.hidden = false;
    form.classList.add("dropzone");
    for (const type of ["dragenter", "dragover"]) {
      form.addEventListener(type, (event) => {
        if (!event.dataTransfer || !Array.from(event.dataTransfer.types).includes("Files")) return;
        event.preventDefault();
        form.classList.add("dragging");
      });
    }
    form.addEventListener("dragleave", (event) => {
      if (!form.contains(event.relatedTarget)) form.classList.remove("dragging");
    });
    form.addEventListener("drop", (event) => {
      if (!event.dataTransfer || event.dataTransfer.files.length === 0) return;
      event.preventDefault();
      form.classList.remove("dragging");
      const combined = new DataTransfer();
      for (const file of [...input.files, ...event.dataTransfer.files]) combined.items.add(file);
      input.files = combined.files;
      showSelection();
    });
  }
  input.addEventListener("change", showSelection);

  // Swap in the parts of the server's answer that carry an id present on the page.
  function applyResponse(html) {
    const answer = new DOMParser().parseFromString(html, "text/html");
    // The ids to swap are the form's `data-swap` (space-separated), by default the case page's.
    for (const id of (form.dataset.swap || "upload-result document-table").split(" ")) {
      const fresh = answer.getElementById(id);
      const current = document.getElementById(id);
      if (fresh && current) current.replaceWith(document.adoptNode(fresh));
    }
    const summary = document.querySelector("#upload-result [data-upload-summary]");
    status.textContent = summary ? summary.textContent.trim() : "";
    const refused = document.querySelector("#upload-result .form-errors");
    if (refused) document.getElementById("upload-result-heading")?.focus();
  }

  function finish() {
    form.removeAttribute("aria-busy");
    if (button) button.disabled = false;
    if (progressBox) progressBox.hidden = true;
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const request = new XMLHttpRequest();
    let announced = -1;
    request.open("POST", form.action);
    // Marks the request as asynchronous: the view answers with the fragment instead of redirecting.
    request.setRequestHeader("HX-Request", "true");
    request.upload.addEventListener("progress", (progressEvent) => {
      if (!progressEvent.lengthComputable || !progress) return;
      const percent = Math.round((progressEvent.loaded / progressEvent.total) * 100);
      progress.value = percent;
      // Announce in steps of 25 %, not on every event, so screen readers are not flooded.
      const step = Math.floor(percent / 25);
      if (step !== announced) {
        announced = step;
        status.textContent = message("msgProgress", { percent });
      }
    });
    request.upload.addEventListener("load", () => {
      status.textContent = message("msgProcessing");
    });
    request.addEventListener("load", () => {
      finish();
      if ((request.status === 200 || request.status === 400) && request.responseText.includes('id="upload-result"')) {
        form.reset();
        if (list) {
          list.replaceChildren();
          list.hidden = true;
        }
        applyResponse(request.responseText);
      } else {
        status.textContent = message("msgFailed");
      }
    });
    request.addEventListener("error", () => {
      finish();
      status.textContent = message("msgFailed");
    });
    form.setAttribute("aria-busy", "true");
    if (button) button.disabled = true;
    if (progress) progress.value = 0;
    if (progressBox) progressBox.hidden = false;
    request.send(new FormData(form));
  });
})();
