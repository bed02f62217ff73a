// The lightbox's report form: a module the carousel imports when a shopper first opens "Report this
// photo", so product pages don't pay for it. The report endpoint's two fields, sent form-encoded, so no
// CORS preflight. The widgets blueprint fills in __CSS__ (forms.css) when it serves this file.
const CSS = __CSS__;
const TEXT = {
  en: {
    reason: "Reason", reasons: ["Inappropriate", "Spam", "Not about this product", "Someone else's photo"],
    email: "Your email", send: "Send report", reported: "Thank you, we will review it.", failed: "Sorry, that did not work.",
  },
  fr: {
    reason: "Motif", reasons: ["Inapproprié", "Spam", "Sans rapport avec ce produit", "Photo de quelqu'un d'autre"],
    email: "Votre e-mail", send: "Envoyer", reported: "Merci, nous allons la vérifier.", failed: "Désolé, cela n'a pas fonctionné.",
  },
};
const REASONS = ["inappropriate", "spam", "off-topic", "copyright"]; // sent as is, whatever the locale
let sheet;

// Untrusted strings only ever reach the page as text nodes or attribute values.
const el = (tag, attrs, ...children) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, value);
  node.append(...children);
  return node;
};

// Fills `details` (the lightbox's disclosure) with the form that reports medium `id`.
export default function report(host, id, details) {
  const t = TEXT[host.lang] || TEXT.en;
  const root = host.shadowRoot;
  if (!sheet) (sheet = new CSSStyleSheet()).replaceSync(CSS);
  if (!root.adoptedStyleSheets.includes(sheet)) root.adoptedStyleSheets = [...root.adoptedStyleSheets, sheet];
  const status = el("p", { role: "status" });
  const send = el("button", { type: "submit" }, t.send);
  const form = el("form", {},
    el("label", {}, t.reason, " ", el("select", { name: "reason" }, ...REASONS.map((r, i) => el("option", { value: r }, t.reasons[i])))),
    el("label", {}, t.email, " ", el("input", { type: "email", name: "email", required: "", autocomplete: "email" })),
    send, status);
  form.addEventListener("submit", async (e) => {
    e.preventDefault();
    send.disabled = true;
    let ok = false;
    try {
      const response = await fetch(`${host.api}/api/v1/media/${encodeURIComponent(id)}/reports`, {
        method: "POST", credentials: "omit", body: new URLSearchParams(new FormData(form)),
      });
      ok = response.ok;
    } catch {}
    status.textContent = ok ? t.reported : t.failed;
    send.disabled = ok;
  });
  details.append(form);
}
