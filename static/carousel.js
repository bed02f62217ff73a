// <ugc-carousel>: the embeddable UGC carousel. No dependencies, no framework, CSP-safe (no eval, no
// inline code or styles). The widgets blueprint fills in __CSS__, __REPORTS__ and __UPLOAD__ when it
// serves this file.
(() => {
if (customElements.get("ugc-carousel")) return;

const CSS = __CSS__;
const REPORTS = __REPORTS__; // the service has POST /api/v1/media/<id>/reports
const UPLOAD = __UPLOAD__; // the upload form module's versioned path when the service takes uploads, else null
const SCRIPT = document.currentScript;
const ORIGIN = SCRIPT ? new URL(SCRIPT.src, location.href).origin : location.origin;
const TEXT = {
  en: {
    region: "Customer photos", slide: "{n} of {m}", prev: "Previous", next: "Next",
    stop: "Stop automatic slide show", start: "Start automatic slide show", close: "Close",
    by: "Photo by {name}", video: "Play video: {t}", shop: "Shop this look", report: "Report this photo",
    reason: "Reason", reasons: ["Inappropriate", "Spam", "Not about this product", "Someone else's photo"],
    email: "Your email", send: "Send report", reported: "Thank you, we will review it.", failed: "Sorry, that did not work.",
    add: "Add your photo",
  },
  fr: {
    region: "Photos de nos clients", slide: "{n} sur {m}", prev: "Précédent", next: "Suivant",
    stop: "Arrêter le défilement automatique", start: "Démarrer le défilement automatique", close: "Fermer",
    by: "Photo de {name}", video: "Lire la vidéo : {t}", shop: "Acheter ce look", report: "Signaler cette photo",
    reason: "Motif", reasons: ["Inapproprié", "Spam", "Sans rapport avec ce produit", "Photo de quelqu'un d'autre"],
    email: "Votre e-mail", send: "Envoyer", reported: "Merci, nous allons la vérifier.", failed: "Désolé, cela n'a pas fonctionné.",
    add: "Ajouter votre photo",
  },
};
let sheet, uploader;

// Untrusted strings only ever reach the page as text nodes or attribute values.
const el = (tag, attrs, ...children) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) if (value != null) node.setAttribute(key, value);
  node.append(...children);
  return node;
};
const safeUrl = (url) => {
  try {
    const parsed = new URL(url, location.href);
    return /^https?:$/.test(parsed.protocol) ? parsed.href : null;
  } catch {
    return null;
  }
};
const clip = (text, n) => (text.length > n ? text.slice(0, n - 1) + "…" : text);
// Tiles are square crops, so a rendition covers a tile as wide as its shorter side.
const srcset = (media, crop) => {
  const seen = new Map();
  for (const r of media.renditions || []) {
    const w = crop ? Math.min(r.width, r.height || r.width) : r.width;
    if (w > 0 && safeUrl(r.url) && !seen.has(w)) seen.set(w, r.url);
  }
  return [...seen].map(([w, url]) => `${url} ${w}w`).join(", ");
};
const rendition = (media, names) => {
  const list = media.renditions || [];
  for (const name of names) {
    const found = list.find((r) => r.name === name && safeUrl(r.url));
    if (found) return found;
  }
  return list.find((r) => safeUrl(r.url)) || {};
};
// Until media arrive, one empty square keeps the carousel's final height (no layout shift).
const placeholder = () => el("div", { class: "slide", "aria-hidden": "true" });
const NEAR = 600; // px from the viewport at which the carousel starts loading
const STALE = new Error("stale"); // an answer for the product the element showed before
const flag = (v) => v === true || v === 1 || v === "1" || v === "true";
const REASONS = ["inappropriate", "spam", "off-topic", "copyright"]; // sent as is, whatever the locale

class UgcCarousel extends HTMLElement {
  static observedAttributes = ["tag-key"];

  connectedCallback() {
    if (this.shadowRoot) return;
    const lang = (this.getAttribute("locale") || document.documentElement.lang || "en").slice(0, 2).toLowerCase();
    const t = (this.t = TEXT[(this.lang = TEXT[lang] ? lang : "en")]);
    const root = this.attachShadow({ mode: "open" });
    sheet = sheet || new CSSStyleSheet();
    if (!sheet.cssRules.length) sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
    this.items = [];
    this.seen = new Set();
    this.gen = 0;
    const per = parseInt(this.getAttribute("slides-per-view"), 10);
    if (per > 0) this.style.setProperty("--ugc-slides-per-view", per);

    this.rotation = el("button", { type: "button", class: "rotation", part: "rotation", hidden: "" });
    this.prev = el("button", { type: "button", class: "prev", part: "prev", "aria-label": t.prev, "aria-controls": "slides" }, "‹");
    this.next = el("button", { type: "button", class: "next", part: "next", "aria-label": t.next, "aria-controls": "slides" }, "›");
    this.track = el("div", { class: "track", part: "track", id: "slides", "aria-live": "polite" }, placeholder());
    this.dialog = el("dialog", { part: "lightbox" });
    // Shown once the product is known: its upload form is a module of its own, imported on the first click.
    this.addPhoto = el("button", { type: "button", class: "add", part: "add", hidden: "" }, t.add);
    root.append(el("section", { "aria-roledescription": "carousel", "aria-label": this.getAttribute("label") || t.region, part: "carousel" },
      el("div", { class: "nav" }, this.rotation, this.prev, this.next), this.addPhoto, this.track), this.dialog);

    this.prev.addEventListener("click", () => this.go(-1, "prev"));
    this.next.addEventListener("click", () => this.go(1, "next"));
    this.rotation.addEventListener("click", () => this.rotate(!this.timer));
    this.addPhoto.addEventListener("click", () => this.upload());
    this.track.addEventListener("keydown", (e) => this.key(e));
    this.track.addEventListener("scroll", () => this.scrolled(), { passive: true });
    this.dialog.addEventListener("keydown", (e) => this.trap(e));
    this.dialog.addEventListener("click", (e) => e.target === this.dialog && this.dialog.close());
    this.dialog.addEventListener("close", () => this.closed());
    for (const [type, paused] of [["mouseenter", 1], ["mouseleave", 0], ["focusin", 1], ["focusout", 0]]) {
      this.addEventListener(type, () => {
        this[type.startsWith("focus") ? "focused" : "hovered"] = paused;
        this.live();
      });
    }
    // Nothing is fetched until the element comes near the viewport. Already near it: no need to wait
    // for the observer's first report, which only comes after the next frame.
    const box = this.getBoundingClientRect();
    if (box.width && box.top < innerHeight + NEAR && box.bottom > -NEAR) return this.start();
    this.near = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting)) {
        this.near.disconnect();
        this.start();
      }
    }, { rootMargin: NEAR + "px" });
    this.near.observe(this);
  }

  disconnectedCallback() {
    clearInterval(this.timer);
  }

  // A single-page shop may reuse the element for another product: start again from nothing.
  attributeChangedCallback(name, old, value) {
    if (!this.api || old === value) return;
    this.gen++;
    clearInterval(this.timer);
    if (this.dialog.open) this.dialog.close();
    if (this.seenSlides) this.seenSlides.disconnect();
    Object.assign(this, { timer: 0, items: [], seen: new Set(), cursor: null, done: false, busy: false, warned: false, hidden: false });
    this.rotation.hidden = this.addPhoto.hidden = true;
    this.prev.hidden = this.next.hidden = false;
    this.track.replaceChildren(placeholder());
    this.start();
  }

  emit(name, detail) {
    this.dispatchEvent(new CustomEvent("ugc:" + name, { bubbles: true, composed: true, detail }));
  }

  // The one console message a failure produces, after which the element takes no space.
  fail(reason) {
    if (!this.warned) console.warn(`ugc-carousel: no gallery shown for "${this.getAttribute("tag-key")}": ${reason}`);
    this.warned = true;
    clearInterval(this.timer);
    if (!this.items.length) this.hidden = true;
  }

  async get(path, cache) {
    const gen = this.gen;
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), parseInt(this.getAttribute("timeout"), 10) || 8000);
    try {
      const response = await fetch(this.api + path, { signal: abort.signal, credentials: "omit", cache });
      if (!response.ok) throw Object.assign(new Error(`HTTP ${response.status}`), { status: response.status });
      const data = await response.json();
      if (gen !== this.gen) throw STALE;
      return data;
    } catch (e) {
      if (gen !== this.gen) throw STALE;
      if (e.name === "AbortError") throw new Error("timed out");
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }

  async start() {
    const gen = this.gen;
    try {
      this.api = (this.getAttribute("api-base") || ORIGIN).replace(/\/$/, "");
      const attr = (name) => this.getAttribute(name);
      const config = { limit: attr("limit"), sort: attr("sort"), interval: attr("interval"), autoplay: this.hasAttribute("autoplay") };
      if (attr("instance")) {
        const settings = await this.get(`/widgets/instances/${encodeURIComponent(attr("instance"))}.json`);
        config.limit = config.limit || settings.limit;
        config.sort = config.sort || settings.sort;
        config.interval = config.interval || settings.interval;
        config.autoplay = config.autoplay || flag(settings.auto_play);
        this.slideBy = parseInt(settings.slide_by, 10) || 0;
        this.infinite = flag(settings.infinite);
      }
      if (!attr("tag-key")) throw new Error("no tag-key");
      const query = new URLSearchParams({ limit: Math.min(parseInt(config.limit, 10) || 12, 100) });
      if (config.sort) query.set("sort", config.sort);
      if (this.hasAttribute("rights-only")) query.set("rights_given", 1);
      this.query = `/api/v1/products/${encodeURIComponent(attr("tag-key"))}/media?${query}`;
      await this.more();
      if (gen !== this.gen || this.warned) return;
      // A known product without media yet shows only the call to add the first photo.
      if (!this.items.length && !UPLOAD) throw new Error("no media");
      this.prev.hidden = this.next.hidden = !this.items.length;
      this.addPhoto.hidden = !UPLOAD;
      this.emit("load", { tagKey: attr("tag-key"), count: this.items.length });
      if (!this.items.length) return;
      this.interval = Math.max(parseInt(config.interval, 10) || 5000, 2000);
      if (config.autoplay) {
        this.rotation.hidden = false;
        this.rotate(!matchMedia("(prefers-reduced-motion: reduce)").matches);
      }
    } catch (e) {
      if (e !== STALE) this.fail(e.message);
    }
  }

  // Appends the next page. An expired cursor restarts once from the first page, skipping media already shown.
  async more() {
    if (this.busy || this.done) return;
    const gen = this.gen;
    this.busy = true;
    let restarted = false;
    try {
      for (let pages = 0; pages < 10; pages++) {
        let page;
        try {
          // After a restart, the browser's copy of the first page would hold the expired cursor again.
          page = await this.get(this.query + (this.cursor ? "&cursor=" + encodeURIComponent(this.cursor) : ""), restarted ? "no-cache" : undefined);
        } catch (e) {
          if (e.status !== 410 || !this.cursor || restarted) throw e;
          restarted = true;
          this.cursor = null;
          continue;
        }
        this.cursor = page.next;
        this.done = !page.next;
        const fresh = (page.media || []).filter((m) => m && m.id && !this.seen.has(m.id));
        if (fresh.length || this.done) {
          this.add(fresh);
          break;
        }
      }
    } catch (e) {
      if (e === STALE) return;
      this.done = true;
      this.fail(e.message);
    } finally {
      if (gen === this.gen) this.busy = false;
    }
    this.scrolled();
  }

  add(media) {
    if (!media.length) return;
    const t = this.t;
    const first = !this.items.length;
    const size = this.track.firstElementChild.getBoundingClientRect().width;
    const visible = Math.ceil(this.track.clientWidth / Math.max(size, 1)) || 1;
    if (first) {
      this.track.textContent = "";
      this.seenSlides = new IntersectionObserver((entries) => {
        for (const e of entries) {
          if (e.isIntersecting) {
            this.seenSlides.unobserve(e.target);
            const i = +e.target.dataset.i;
            this.emit("impression", { id: this.items[i].id, index: i });
          }
        }
      }, { threshold: 0.5 });
    }
    for (const m of media) {
      const i = this.items.push(m) - 1;
      this.seen.add(m.id);
      const text = clip(m.caption || t.by.replace("{name}", (m.uploader && m.uploader.name) || ""), 150);
      const small = rendition(m, ["mobile", "normal", "thumbnail", "original"]);
      const img = el("img", {
        part: "image", alt: text, sizes: Math.ceil(size) + "px", srcset: srcset(m, true), src: safeUrl(small.url),
        width: small.width, height: small.height, decoding: "async", loading: i < visible ? "eager" : "lazy",
      });
      const tile = el("button", { type: "button", class: "tile", part: "tile" }, img);
      if (m.type === "video") {
        tile.setAttribute("aria-label", t.video.replace("{t}", text));
        tile.append(el("span", { class: "play", "aria-hidden": "true" }));
      }
      tile.addEventListener("click", () => this.open(i, tile));
      const slide = el("div", { class: "slide", part: "slide", role: "group", "aria-roledescription": "slide", "data-i": i }, tile);
      this.track.append(slide);
      this.seenSlides.observe(slide);
    }
    const slides = this.track.children;
    for (let n = 0; n < slides.length; n++) slides[n].setAttribute("aria-label", t.slide.replace("{n}", n + 1).replace("{m}", slides.length));
  }

  step() {
    const slide = this.track.firstElementChild;
    return slide.getBoundingClientRect().width + parseFloat(getComputedStyle(this.track).columnGap || 0);
  }

  go(direction, how) {
    if (!this.items.length) return;
    const track = this.track;
    const step = this.step();
    const perView = Math.max(1, Math.round(track.clientWidth / step));
    const last = Math.max(0, this.items.length - perView);
    const from = Math.round(track.scrollLeft / step);
    let to = from + direction * (this.slideBy || perView);
    if (to > last) to = from >= last && (this.infinite || how === "auto") && this.done ? 0 : last;
    if (to < 0) to = from <= 0 && this.infinite ? last : 0;
    track.scrollTo({ left: to * step });
    this.emit("navigate", { direction: direction > 0 ? "next" : "prev", index: to, trigger: how });
  }

  key(e) {
    const slide = e.target.closest(".slide");
    if (!slide) return;
    const moves = { ArrowRight: slide.nextElementSibling, ArrowLeft: slide.previousElementSibling, Home: this.track.firstElementChild, End: this.track.lastElementChild };
    const target = moves[e.key];
    if (e.key in moves) e.preventDefault();
    if (target) {
      target.firstElementChild.focus();
      this.emit("navigate", { direction: e.key === "ArrowLeft" || e.key === "Home" ? "prev" : "next", index: +target.dataset.i, trigger: "key" });
    }
  }

  // Button states, and the next page once the shopper is within a view of the end.
  scrolled() {
    if (this.frame || !this.items.length) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      const { scrollLeft, clientWidth, scrollWidth } = this.track;
      const end = scrollLeft + clientWidth >= scrollWidth - 2;
      this.prev.setAttribute("aria-disabled", scrollLeft <= 1 && !this.infinite);
      this.next.setAttribute("aria-disabled", end && this.done && !this.infinite);
      if (scrollLeft + 2 * clientWidth >= scrollWidth) this.more();
    });
  }

  rotate(on) {
    clearInterval(this.timer);
    this.timer = on ? setInterval(() => !this.hovered && !this.focused && !this.dialog.open && !document.hidden && this.go(1, "auto"), this.interval) : 0;
    this.rotation.textContent = on ? "❚❚" : "▶";
    this.rotation.setAttribute("aria-label", on ? this.t.stop : this.t.start);
    this.live();
  }

  // Screen readers hear slide changes, except while the carousel turns by itself.
  live() {
    this.track.setAttribute("aria-live", this.timer && !this.focused ? "off" : "polite");
  }

  open(i, opener) {
    const m = this.items[i];
    const t = this.t;
    const d = this.dialog;
    this.opener = opener;
    const big = rendition(m, ["normal", "original", "mobile"]);
    const stage = el("div", { class: "stage" });
    if (m.type === "video" && safeUrl(m.video_url)) {
      stage.append(el("video", { src: safeUrl(m.video_url), poster: safeUrl(big.url), controls: "", playsinline: "", preload: "none", width: big.width, height: big.height }));
    } else {
      stage.append(el("img", { part: "lightbox-image", alt: clip(m.caption || "", 150), src: safeUrl(big.url), srcset: srcset(m), sizes: "(min-width: 1000px) 640px, 92vw", width: big.width, height: big.height, decoding: "async" }));
    }
    const who = m.uploader || {};
    const info = el("div", { class: "info" },
      // No avatar: it would send every shopper's browser to a third-party host.
      el("p", { class: "who" }, who.name || who.username || "", who.username ? el("span", { class: "user" }, "@" + who.username) : ""),
      el("p", { class: "caption", part: "caption" }, m.caption || ""));
    const products = (m.products || []).filter((p) => safeUrl(p.url));
    if (products.length) {
      info.append(el("h2", {}, t.shop), el("ul", { part: "shop" }, ...products.map((p) => el("li", {}, el("a", { href: safeUrl(p.url), part: "product" },
        p.image && safeUrl(p.image) ? el("img", { src: safeUrl(p.image), alt: "", width: 48, height: 48, loading: "lazy" }) : "", p.name || "")))));
    }
    if (REPORTS) info.append(this.reportForm(m));
    const close = el("button", { type: "button", class: "close", part: "close", "aria-label": t.close }, "×");
    close.addEventListener("click", () => d.close());
    d.textContent = "";
    d.setAttribute("aria-label", clip(m.caption || t.by.replace("{name}", who.name || ""), 100));
    d.append(close, stage, info);
    d.showModal();
    close.focus();
    this.emit("click", { id: m.id, index: i });
    this.emit("lightbox-open", { id: m.id, index: i });
  }

  async upload() {
    try {
      await (await (uploader = uploader || import(ORIGIN + UPLOAD))).default(this, this.addPhoto);
    } catch (e) {
      uploader = null;
      console.warn(`ugc-carousel: no upload form: ${e.message}`);
    }
  }

  // A disclosure with the report endpoint's two fields; sent form-encoded, so no CORS preflight.
  reportForm(m) {
    const t = this.t;
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
        const response = await fetch(`${this.api}/api/v1/media/${encodeURIComponent(m.id)}/reports`, {
          method: "POST", credentials: "omit", body: new URLSearchParams(new FormData(form)),
        });
        ok = response.ok;
      } catch {}
      status.textContent = ok ? t.reported : t.failed;
      send.disabled = ok;
    });
    return el("details", { class: "report", part: "report" }, el("summary", {}, t.report), form);
  }

  // Tab and Shift+Tab cycle inside the open dialog (the lightbox, or the upload form's).
  trap(e) {
    if (e.key !== "Tab") return;
    const focusable = [...e.currentTarget.querySelectorAll("button:not([disabled]), a[href], video, summary, input, select, textarea")]
      .filter((n) => n.getAttribute("tabindex") != "-1" && (!n.checkVisibility || n.checkVisibility()));
    const active = this.shadowRoot.activeElement;
    const edge = e.shiftKey ? focusable[0] : focusable[focusable.length - 1];
    if (active === edge || !focusable.includes(active)) {
      e.preventDefault();
      (e.shiftKey ? focusable[focusable.length - 1] : focusable[0]).focus();
    }
  }

  closed() {
    const video = this.dialog.querySelector("video");
    if (video) video.pause();
    if (this.opener) this.opener.focus();
  }
}

customElements.define("ugc-carousel", UgcCarousel);
})();
