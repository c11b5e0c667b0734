/* Copy buttons for the SHA-256 and the citation. Without JavaScript (or without a clipboard, as on
   plain-HTTP addresses other than localhost) the buttons stay hidden and the text stays selectable. */
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  if (!navigator.clipboard) return;
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    const label = button.textContent;
    button.hidden = false;
    button.addEventListener("click", function () {
      const source = document.querySelector(button.dataset.copy);
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        button.textContent = button.dataset.copied;
        setTimeout(function () { button.textContent = label; }, 2000);
      });
    });
  });
});

/* A file field in the interface language: the browser's own button and "no file chosen" speak the
   browser's language, not the page's. Without JavaScript the browser's own field stays. */
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("input[type=file][data-choose]").forEach(function (input) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "file-choose";
    button.textContent = input.dataset.choose;
    const chosen = document.createElement("span");
    chosen.className = "file-chosen";
    chosen.translate = false;  // file names
    function show() {
      const names = Array.from(input.files || []).map(function (file) { return file.name; });
      chosen.textContent = names.length ? names.join(", ") : input.dataset.none;
    }
    button.addEventListener("click", function () { input.click(); });
    ["change", "input"].forEach(function (type) { input.addEventListener(type, show); });
    input.classList.add("file-native");
    input.tabIndex = -1;
    input.after(button, chosen);
    show();
  });
});

/* A search's address keeps only what the reader chose: empty dates and the default order add nothing. */
document.addEventListener("htmx:configRequest", function (event) {
  if (event.detail.elt.id !== "search-form") return;
  const parameters = event.detail.parameters;
  ["from", "to"].forEach(function (name) { if (!parameters[name]) delete parameters[name]; });
  if (parameters.sort === "relevance") delete parameters.sort;
});

/* Uploading several files: chosen or dropped, each posted on its own (with its own title and case
   number, if given) so that it shows its progress and its result. Without JavaScript the form posts
   them all at once and the page that answers lists each result. */
document.addEventListener("DOMContentLoaded", function () {
  const form = document.getElementById("upload-form");
  if (!form || !window.FormData || !window.XMLHttpRequest) return;
  const input = form.querySelector("#file");
  const zone = form.querySelector("#drop-zone");
  const list = form.querySelector("#file-list");
  const kind = form.querySelector("#kind");
  const button = form.querySelector("button[type=submit]");
  const messages = form.dataset;

  function showKindFields() {
    form.querySelectorAll(".kind-fields").forEach(function (fields) {
      fields.hidden = kind.value !== "" && fields.dataset.kind !== kind.value;
    });
    list.querySelectorAll(".per-file-case").forEach(function (field) {
      field.hidden = kind.value !== "" && kind.value !== "ruling";
    });
  }
  kind.addEventListener("change", showKindFields);

  zone.classList.add("droppable");
  zone.querySelector(".drop-hint").hidden = false;
  ["dragenter", "dragover"].forEach(function (type) {
    zone.addEventListener(type, function (event) {
      event.preventDefault();
      zone.classList.add("dragging");
    });
  });
  ["dragleave", "drop"].forEach(function (type) {
    zone.addEventListener(type, function (event) {
      event.preventDefault();
      zone.classList.remove("dragging");
    });
  });
  zone.addEventListener("drop", function (event) {
    if (event.dataTransfer && event.dataTransfer.files.length) addFiles(event.dataTransfer.files);
  });
  input.addEventListener("change", showFiles);

  let sent = false;  // the files shown were uploaded: files dropped now start a new list

  function addFiles(files) {
    const chosen = new DataTransfer();
    const kept = sent ? [] : Array.from(input.files);
    kept.concat(Array.from(files)).forEach(function (file) { chosen.items.add(file); });
    input.files = chosen.files;
    input.dispatchEvent(new Event("input"));  // for the field's list of names
    showFiles();
  }

  function removeFile(index) {
    const kept = new DataTransfer();
    Array.from(input.files).forEach(function (file, i) { if (i !== index) kept.items.add(file); });
    input.files = kept.files;
    input.dispatchEvent(new Event("input"));
    showFiles();
  }

  function field(className, label, name) {
    const box = document.createElement("input");
    box.type = "text";
    box.className = className;
    box.dataset.field = name;  // no name: the form's own fields are the batch's
    box.maxLength = 500;
    box.placeholder = label;
    box.setAttribute("aria-label", label);
    return box;
  }

  function showFiles() {
    sent = false;
    form.querySelectorAll("#file-result > .notice").forEach(function (old) { old.remove(); });
    list.textContent = "";
    Array.from(input.files).forEach(function (file, index) {
      const item = document.createElement("li");
      item.className = "file-item";
      const name = document.createElement("span");
      name.className = "file-name";
      name.textContent = file.name;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "link-button file-remove";
      remove.textContent = messages.msgRemove;
      remove.addEventListener("click", function () { removeFile(index); });
      const own = document.createElement("div");
      own.className = "file-fields";
      own.append(field("per-file-title", messages.msgTitle + " · " + file.name, "title"),
                 field("per-file-case", messages.msgCase + " · " + file.name, "case_number"));
      const progress = document.createElement("progress");
      progress.hidden = true;
      const outcome = document.createElement("div");
      outcome.className = "file-outcome";
      item.append(name, remove, own, progress, outcome);
      list.appendChild(item);
    });
    list.hidden = input.files.length === 0;
    showKindFields();
  }

  function uploadOne(file, item) {
    return new Promise(function (done) {
      const data = new FormData(form);
      data.delete("file");
      data.append("file", file, file.name);
      item.querySelectorAll(".file-fields input").forEach(function (own) {
        if (own.value.trim() && !own.hidden) data.set(own.dataset.field, own.value.trim());
      });
      const progress = item.querySelector("progress");
      const outcome = item.querySelector(".file-outcome");
      const request = new XMLHttpRequest();
      progress.hidden = false;
      progress.value = 0;
      outcome.textContent = messages.msgUploading;
      request.upload.addEventListener("progress", function (event) {
        if (!event.lengthComputable) return;
        progress.max = event.total;
        progress.value = event.loaded;
      });
      request.upload.addEventListener("load", function () {
        progress.removeAttribute("value");  // the server is reading the file: no measure of that
        outcome.textContent = messages.msgProcessing;
      });
      request.addEventListener("load", function () {
        progress.hidden = true;
        const html = (request.getResponseHeader("Content-Type") || "").indexOf("text/html") === 0;
        if (html) {
          outcome.innerHTML = request.responseText;  // the server's own escaped fragment
        } else {
          outcome.textContent = request.status === 413 ? messages.msgTooLarge : messages.msgFailed;
        }
        item.classList.add("file-done");
        done();
      });
      request.addEventListener("error", function () {
        progress.hidden = true;
        outcome.textContent = messages.msgNetwork;
        done();
      });
      request.open("POST", form.action);
      request.setRequestHeader("HX-Request", "true");
      request.send(data);
    });
  }

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    const files = Array.from(input.files);
    const items = Array.from(list.querySelectorAll(".file-item"));
    if (!files.length) return;
    button.disabled = true;
    form.classList.add("htmx-request");  // shows the busy spinner
    items.forEach(function (item) {
      item.querySelectorAll("input, button").forEach(function (control) { control.disabled = true; });
    });
    files.reduce(function (previous, file, index) {
      return previous.then(function () { return uploadOne(file, items[index]); });
    }, Promise.resolve()).then(function () {
      sent = true;
      button.disabled = false;
      form.classList.remove("htmx-request");
    });
  });
  showKindFields();
});
