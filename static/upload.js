// The upload form of <ugc-carousel>: a module the carousel imports when a shopper first clicks "Add your
// photo", so product pages don't pay for it. A modal <dialog> in the carousel's shadow root, posted with
// XMLHttpRequest for its upload progress. The widgets blueprint fills in __CSS__ when it serves this file.
// CSP-safe: no eval, no inline code or styles, and the preview is drawn on a canvas, so the page's img-src
// needs neither blob: nor data:.
const CSS = __CSS__;
const TEXT = {
  en: {
    title: "Add your photo", of: "Add your photo of {p}", file: "Your photo", pick: "Choose a photo or drop it here",
    types: "JPEG, PNG or WebP", preview: "Preview of {name}", caption: "Caption (optional)",
    email: "Your email (never shown)", name: "Your name, shown with the photo",
    consent: "I accept the terms and let the shop show my photo", terms: "Read the terms",
    // No terms configured: the consent says in full what the shopper agrees to, and that nothing else applies.
    plain: "I took this photo or may share it, and I let {shop} show it with my name and caption on its pages. No other terms apply.",
    send: "Send", close: "Close", sending: "Sending your photo", thanks: "Thanks, your photo is waiting for review.",
    failed: "Sorry, that did not work. Please try again.", later: "Too many photos sent. Please try again in {s} seconds.",
    missing_field: "Please fill this in.", consent_required: "Please accept the terms.",
    invalid_email: "Please enter a valid email address.", big: "This photo is too large.",
    bad: "This file is not a photo we can take: please choose a JPEG, PNG or WebP image.",
  },
  fr: {
    title: "Ajouter votre photo", of: "Ajouter votre photo pour {p}", file: "Votre photo",
    pick: "Choisissez une photo ou déposez-la ici", types: "JPEG, PNG ou WebP", preview: "Aperçu de {name}",
    caption: "Légende (facultative)", email: "Votre e-mail (jamais affiché)", name: "Votre nom, affiché avec la photo",
    consent: "J'accepte les conditions et autorise la boutique à montrer ma photo", terms: "Lire les conditions",
    plain: "J'ai pris cette photo ou j'ai le droit de la partager, et j'autorise {shop} à la montrer avec mon nom et ma légende sur ses pages. Aucune autre condition ne s'applique.",
    send: "Envoyer", close: "Fermer", sending: "Envoi de votre photo", thanks: "Merci, votre photo attend d'être vérifiée.",
    failed: "Désolé, cela n'a pas fonctionné. Veuillez réessayer.", later: "Trop de photos envoyées. Réessayez dans {s} secondes.",
    missing_field: "Veuillez remplir ce champ.", consent_required: "Veuillez accepter les conditions.",
    invalid_email: "Veuillez saisir une adresse e-mail valide.", big: "Cette photo est trop grande.",
    bad: "Ce fichier n'est pas une photo acceptée : choisissez une image JPEG, PNG ou WebP.",
  },
};
const PREVIEW = 240; // px, the preview's longer side
let sheet;

// Untrusted strings only ever reach the page as text nodes or attribute values.
const el = (tag, attrs, ...children) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) if (value != null) node.setAttribute(key, value);
  node.append(...children);
  return node;
};
// One key per photo chosen: sending it again (a retry) answers the same upload, never a second one.
const newKey = () => (crypto.randomUUID ? crypto.randomUUID() : crypto.getRandomValues(new Uint32Array(4)).join("-"));
// The service's field errors, in the page's language where we have the words, else as the service put them.
const say = (t, { field, code, message }) => t[code] || (/too_large/.test(code) ? t.big : field === "file" ? t.bad : message);
const json = async (url) => {
  const answer = await fetch(url, { credentials: "omit" });
  if (!answer.ok) throw new Error(`HTTP ${answer.status}`);
  return answer.json();
};

export default async function open(host, opener) {
  const tagKey = host.getAttribute("tag-key");
  if (host.uploadFor !== tagKey) { // first use, or the element now shows another product: a form for this one
    const old = host.uploadForm && (await host.uploadForm.catch(() => null));
    if (old) old.dialog.remove();
    host.uploadForm = null;
  }
  host.uploadFor = tagKey;
  host.uploadForm = host.uploadForm || build(host);
  let form;
  try {
    form = await host.uploadForm;
  } catch (e) {
    host.uploadForm = null; // the next click tries again
    throw e;
  }
  form.show(opener);
}

async function build(host) {
  const t = TEXT[host.lang] || TEXT.en;
  const tagKey = host.getAttribute("tag-key");
  // The product's name for the title: the form works without it.
  const [{ form: config }, product] = await Promise.all([json(host.api + "/api/v1/uploads/form"),
    json(`${host.api}/api/v1/products/${encodeURIComponent(tagKey)}`).then((a) => a.product.name, () => null)]);
  // The retailer's terms: the element's terms-url, else the service's TERMS_URL; http(s) only.
  let terms = host.getAttribute("terms-url") || config.terms_url;
  try {
    terms = terms && new URL(terms, location.href);
    terms = /^https?:$/.test(terms.protocol) ? terms.href : null;
  } catch {
    terms = null;
  }
  const root = host.shadowRoot;
  sheet = sheet || new CSSStyleSheet();
  if (!sheet.cssRules.length) sheet.replaceSync(CSS);
  root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];

  const inputs = {};
  const errors = {};
  // A labelled field whose error, when there is one, is shown under it and read with it.
  const field = (name, label, input, ...after) => {
    Object.assign(input, { id: "upload-" + name, name });
    const error = el("p", { id: `upload-${name}-error`, class: "error" });
    input.setAttribute("aria-describedby", error.id);
    inputs[name] = input;
    errors[name] = error;
    const text = el("label", { for: input.id }, label);
    return el("div", { class: "field " + input.type }, ...(input.type === "checkbox" ? [input, text] : [text, input]), ...after, error);
  };
  // The picker: the file input, transparent, covers the drop zone, so a click or a dropped file reaches it.
  const file = el("input", { type: "file", accept: config.accepted_types.join(","), required: "" });
  const chosen = el("span", { class: "pick" }, t.pick);
  const preview = el("canvas", { role: "img", hidden: "" });
  const zone = el("div", { class: "drop" }, host.icon("add"), chosen, el("span", { class: "types" }, t.types), preview);
  const progress = el("progress", { max: 1, value: 0, "aria-label": t.sending, hidden: "" });
  const send = el("button", { type: "submit" }, t.send);
  const status = el("p", { role: "status", class: "status" });
  const close = el("button", { type: "button", class: "close", "aria-label": t.close }, host.icon("close"));
  const shop = location.hostname.replace(/^www\./, "");
  const form = el("form", { novalidate: "" },
    el("h2", { id: "upload-title" }, product ? t.of.replace("{p}", product) : t.title),
    field("file", t.file, file),
    field("caption", t.caption, el("textarea", { rows: 3, maxlength: config.caption_max })),
    field("email", t.email, el("input", { type: "email", required: "", autocomplete: "email" })),
    field("name", t.name, el("input", { type: "text", required: "", maxlength: config.name_max, autocomplete: "nickname" })),
    field("consent", terms ? t.consent : t.plain.replace("{shop}", shop), el("input", { type: "checkbox", required: "" }),
      terms ? el("a", { href: terms, target: "_blank", rel: "noopener" }, t.terms) : ""),
    // The honeypot: hidden from people and from assistive technology, so only a bot fills it in; out of
    // sight (carousel.css's .sr), yet not display: none, which some bots look for.
    el("div", { class: "hp sr", "aria-hidden": "true" },
      el("label", {}, config.honeypot, el("input", { name: config.honeypot, tabindex: "-1", autocomplete: "off" }))),
    send, progress);
  file.after(zone);
  zone.prepend(file);
  const dialog = el("dialog", { class: "upload", part: "upload", "aria-labelledby": "upload-title" }, close, form, status);
  root.append(dialog);

  let key = newKey();
  let done = false;
  let opener;
  dialog.addEventListener("keydown", (e) => host.trap(e));
  dialog.addEventListener("close", () => opener.focus());
  close.addEventListener("click", () => dialog.close());

  file.addEventListener("change", async () => {
    key = newKey();
    preview.hidden = true;
    const photo = file.files[0];
    chosen.textContent = photo ? photo.name : t.pick;
    try {
      const bitmap = await createImageBitmap(photo); // turned upright by its EXIF orientation
      if (file.files[0] !== photo) return; // another photo was chosen meanwhile
      const scale = Math.min(1, PREVIEW / Math.max(bitmap.width, bitmap.height));
      preview.width = Math.round(bitmap.width * scale) || 1;
      preview.height = Math.round(bitmap.height * scale) || 1;
      preview.getContext("2d").drawImage(bitmap, 0, 0, preview.width, preview.height);
      bitmap.close();
      preview.setAttribute("aria-label", t.preview.replace("{name}", photo.name));
      preview.hidden = false;
    } catch {} // none chosen, or not an image this browser reads: no preview; the service says what is wrong
  });

  const checked = new Set(); // fields checked once: from then on, as they are edited
  const mark = (name, code, message) => {
    checked.add(name);
    errors[name].textContent = code ? say(t, { field: name, code, message }) : "";
    if (code) inputs[name].setAttribute("aria-invalid", "true");
    else inputs[name].removeAttribute("aria-invalid");
  };
  // What the browser can tell before sending: saves sending a large photo only to have it refused.
  const check = (name) => {
    const input = inputs[name], v = input.validity, photo = name === "file" && file.files[0];
    if (v.valueMissing) return name === "consent" ? "consent_required" : "missing_field";
    if (v.typeMismatch) return "invalid_email";
    if (photo && photo.size > config.max_bytes) return "file_too_large";
    if (photo && !config.accepted_types.includes(photo.type)) return "unsupported_type";
  };
  // Live: a field checked once is checked again as it is edited, so its error goes as soon as it is fixed
  // (and comes back if undone); a field left with a value, or a photo chosen, is checked at once.
  for (const [name, input] of Object.entries(inputs)) {
    const recheck = (always) => (always || checked.has(name)) && mark(name, check(name));
    input.addEventListener("input", () => recheck(name === "file"));
    input.addEventListener("change", () => recheck(name === "file"));
    input.addEventListener("blur", () => recheck(input.value && name !== "consent"));
  }

  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (send.disabled) return;
    status.textContent = "";
    const faults = Object.keys(inputs).filter((name) => {
      const code = check(name);
      mark(name, code);
      return code;
    });
    if (faults.length) return inputs[faults[0]].focus(); // every fault at once, each under its field
    const xhr = new XMLHttpRequest();
    xhr.open("POST", `${host.api}/api/v1/products/${encodeURIComponent(tagKey)}/uploads`);
    xhr.setRequestHeader("Idempotency-Key", key);
    xhr.responseType = "json";
    xhr.upload.addEventListener("progress", (p) => p.lengthComputable && (progress.value = p.loaded / p.total));
    const end = () => {
      send.disabled = false;
      progress.hidden = true;
      form.removeAttribute("aria-busy");
    };
    xhr.addEventListener("load", () => {
      end();
      if (xhr.status === 202) {
        done = true;
        form.hidden = true;
        status.textContent = t.thanks;
        return close.focus();
      }
      const error = (xhr.response && xhr.response.error) || {};
      const list = (error.errors || [error]).filter((f) => inputs[f.field]);
      for (const f of list) mark(f.field, f.code || "refused", f.message);
      if (list.length) return inputs[list[0].field].focus();
      status.textContent = xhr.status === 429 ? t.later.replace("{s}", xhr.getResponseHeader("Retry-After") || 60) : t.failed;
    });
    xhr.addEventListener("error", () => {
      end();
      status.textContent = t.failed;
    });
    send.disabled = true;
    progress.value = 0;
    progress.hidden = false;
    form.setAttribute("aria-busy", "true");
    xhr.send(new FormData(form));
  });

  return {
    dialog,
    show(from) {
      opener = from;
      if (done) { // a new form for the next photo
        done = false;
        checked.clear();
        form.reset();
        preview.hidden = true;
        chosen.textContent = t.pick;
        form.hidden = false;
        status.textContent = "";
        key = newKey();
      }
      dialog.showModal();
      file.focus();
    },
  };
}
