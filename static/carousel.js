// <ugc-carousel>: the embeddable UGC carousel. No dependencies, no framework, CSP-safe (no eval, no
// inline code or styles). The widgets blueprint fills in __CSS__, __REPORTS__ and __UPLOAD__ when it
// serves this file.
(() => {
if (customElements.get("ugc-carousel")) return;

const CSS = __CSS__;
const REPORTS = __REPORTS__; // the report form module's versioned path when the service takes reports, else null
const UPLOAD = __UPLOAD__; // the upload form module's versioned path when the service takes uploads, else null
const SCRIPT = document.currentScript;
const ORIGIN = SCRIPT ? new URL(SCRIPT.src, location.href).origin : location.origin;
const TEXT = {
  en: {
    region: "Customer photos", slide: "{n} of {m}", shown: "Slides {n} to {m} of {t}", prev: "Previous", next: "Next",
    back: "Previous photo", on: "Next photo", stop: "Stop automatic slide show", start: "Start automatic slide show",
    close: "Close", by: "Photo by {name}", video: "Play video: {t}", shop: "Shop this look", report: "Report this photo",
    add: "Add your photo", empty: "No photos yet. Be the first to show yours!",
  },
  fr: {
    region: "Photos de nos clients", slide: "{n} sur {m}", shown: "Diapositives {n} à {m} sur {t}", prev: "Précédent",
    next: "Suivant", back: "Photo précédente", on: "Photo suivante", stop: "Arrêter le défilement automatique",
    start: "Démarrer le défilement automatique", close: "Fermer", by: "Photo de {name}", video: "Lire la vidéo : {t}",
    shop: "Acheter ce look", report: "Signaler cette photo", add: "Ajouter votre photo",
    empty: "Pas encore de photo. Montrez la vôtre la première !",
  },
};
// Icons: 24px SVG paths, stroked in the button's colour.
const ICON = { prev: "M15 5l-7 7 7 7", next: "M9 5l7 7-7 7", close: "M6 6l12 12M18 6L6 18", stop: "M9 6v12M15 6v12", start: "M8 5v14l11-7z", add: "M12 5v14M5 12h14" };
let sheet, uploader, reporter;

// Untrusted strings only ever reach the page as text nodes or attribute values.
const el = (tag, attrs, ...children) => {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) if (value != null) node.setAttribute(key, value);
  node.append(...children);
  return node;
};
const svg = (name) => {
  const ns = "http://www.w3.org/2000/svg", icon = document.createElementNS(ns, "svg"), path = document.createElementNS(ns, "path");
  icon.setAttribute("viewBox", "0 0 24 24");
  icon.setAttribute("aria-hidden", "true");
  icon.setAttribute("class", "i");
  path.setAttribute("d", ICON[name]);
  icon.append(path);
  return icon;
};
const button = (cls, label, icon, text) => el("button", { type: "button", class: cls, part: cls, "aria-label": label }, svg(icon), text || "");
const safeUrl = (url) => {
  try {
    const parsed = new URL(url, location.href);
    return /^https?:$/.test(parsed.protocol) ? parsed.href : null;
  } catch {
    return null;
  }
};
const clip = (text, n) => (text.length > n ? text.slice(0, n - 1) + "…" : text);
const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => values[k]);
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
// Until media arrive, skeleton squares keep the carousel's final height (no layout shift).
const skeleton = () => Array.from({ length: 6 }, () => el("div", { class: "slide skeleton", "aria-hidden": "true" }));
const NEAR = 600; // px from the viewport at which the carousel starts loading
const STALE = new Error("stale"); // an answer for the product the element showed before
const flag = (v) => /^(1|true)$/.test(v);
const typing = /^(INPUT|SELECT|TEXTAREA|VIDEO)$/; // elements that keep their arrow keys

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
    this.tiles = [];
    this.seen = new Set();
    this.gen = this.cur = 0;
    const per = parseInt(this.getAttribute("slides-per-view"), 10);
    if (per > 0) this.style.setProperty("--ugc-slides-per-view", per);

    this.rotation = el("button", { type: "button", class: "rotation", part: "rotation", hidden: "" });
    this.prev = button("prev", t.prev, "prev");
    this.next = button("next", t.next, "next");
    this.prev.hidden = this.next.hidden = true; // shown once there is somewhere to go
    for (const b of [this.prev, this.next]) b.setAttribute("aria-controls", "slides");
    this.track = el("div", { class: "track", part: "track", id: "slides" }, ...skeleton());
    this.status = el("p", { class: "live sr", "aria-live": "polite" });
    this.dialog = el("dialog", { part: "lightbox" });
    const section = el("section", { "aria-roledescription": "carousel", "aria-label": this.getAttribute("label") || t.region, part: "carousel" });
    // "Add your photo" only where the page asks for uploads, and the service takes them: a bar of its own
    // above the slides (reserve.css keeps its height too), so it covers no photo.
    if (UPLOAD && this.hasAttribute("uploads")) {
      this.addPhoto = button("add", null, "add", t.add);
      this.addPhoto.addEventListener("click", () => this.upload(this.addPhoto));
      section.append(el("div", { class: "bar" }, this.addPhoto));
    }
    section.append(el("div", { class: "view" }, this.rotation, this.prev, this.next, this.track), this.status);
    root.append(section, this.dialog);

    this.prev.addEventListener("click", () => this.go(-1, "prev"));
    this.next.addEventListener("click", () => this.go(1, "next"));
    this.rotation.addEventListener("click", () => this.rotate(!this.timer));
    this.track.addEventListener("keydown", (e) => this.key(e));
    this.track.addEventListener("scroll", () => this.scrolled(), { passive: true });
    this.dialog.addEventListener("keydown", (e) => {
      const dir = { ArrowLeft: -1, ArrowRight: 1 }[e.key];
      if (e.key === "Tab") this.trap(e);
      else if (dir && !typing.test(e.target.tagName)) {
        e.preventDefault();
        this.flip(dir, "key");
      }
    });
    this.dialog.addEventListener("click", (e) => e.target === this.dialog && this.dialog.close());
    this.dialog.addEventListener("close", () => this.closed());
    // The APG's rule: hovering pauses the rotation; any other interaction stops it until the shopper starts it again.
    for (const type of ["mouseenter", "mouseleave", "pointerdown", "keydown", "focusin"]) {
      this.addEventListener(type, (e) => {
        if (type.startsWith("mouse")) this.hovered = type === "mouseenter";
        else if (this.timer && !this.rotation.contains(e.composedPath()[0])) this.rotate(false);
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
    Object.assign(this, { timer: 0, items: [], tiles: [], cur: 0, at: null, seen: new Set(), cursor: null, done: false, busy: null, warned: false, hidden: false });
    this.rotation.hidden = this.prev.hidden = this.next.hidden = true;
    if (this.addPhoto) this.addPhoto.classList.remove("gone");
    this.track.replaceChildren(...skeleton());
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
      if (!this.items.length) {
        // A known product without media yet: an invitation to add the first photo, where the page takes uploads.
        if (!this.addPhoto) throw new Error("no media");
        const add = button("add", null, "add", this.t.add);
        add.addEventListener("click", () => this.upload(add));
        this.addPhoto.classList.add("gone");
        this.track.replaceChildren(el("div", { class: "empty" }, el("p", {}, this.t.empty), add));
      }
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

  // The next page, once: callers share the request in flight.
  more() {
    if (!this.busy && !this.done) {
      const p = (this.busy = this.page().finally(() => {
        if (this.busy === p) this.busy = null;
        this.scrolled();
        if (this.dialog.open && this.stage) this.mark();
      }));
    }
    return this.busy;
  }

  // Appends the next page. An expired cursor restarts once from the first page, skipping media already shown.
  async page() {
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
        if (fresh.length || this.done) return this.add(fresh);
      }
    } catch (e) {
      if (e === STALE) return;
      this.done = true;
      this.fail(e.message);
    }
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
      const text = clip(m.caption || fill(t.by, { name: (m.uploader && m.uploader.name) || "" }), 150);
      const small = rendition(m, ["mobile", "normal", "thumbnail", "original"]);
      const img = el("img", {
        part: "image", alt: text, sizes: Math.ceil(size) + "px", srcset: srcset(m, true), src: safeUrl(small.url),
        width: small.width, height: small.height, decoding: "async", loading: i < visible ? "eager" : "lazy",
      });
      // One Tab stop for all the slides (roving tabindex): the arrow keys move between them.
      const tile = el("button", { type: "button", class: "tile", part: "tile", tabindex: i === this.cur ? 0 : -1 }, img);
      if (m.caption) tile.append(el("span", { class: "cap", "aria-hidden": "true" }, clip(m.caption, 90)));
      if (m.type === "video") {
        tile.setAttribute("aria-label", fill(t.video, { t: text }));
        tile.append(el("span", { class: "play" }, svg("start")));
      }
      tile.addEventListener("click", () => this.open(i));
      tile.addEventListener("focus", () => this.rove(i));
      this.tiles.push(tile);
      const slide = el("div", { class: "slide", part: "slide", role: "group", "aria-roledescription": "slide", "data-i": i }, tile);
      this.track.append(slide);
      this.seenSlides.observe(slide);
    }
    const slides = this.track.children;
    for (let n = 0; n < slides.length; n++) slides[n].setAttribute("aria-label", fill(t.slide, { n: n + 1, m: slides.length }));
  }

  // Makes slide i the carousel's Tab stop.
  rove(i) {
    const tiles = this.tiles;
    if (tiles[this.cur]) tiles[this.cur].tabIndex = -1;
    tiles[(this.cur = i)].tabIndex = 0;
    return tiles[i];
  }

  step() {
    const slide = this.track.firstElementChild;
    return slide.getBoundingClientRect().width + parseFloat(getComputedStyle(this.track).columnGap || 0);
  }

  go(direction, how) {
    if (!this.items.length) return;
    const track = this.track;
    const step = this.step();
    const count = this.items.length;
    const perView = Math.max(1, Math.floor((track.clientWidth + 2) / step));
    const last = Math.max(0, count - perView);
    const from = Math.round(track.scrollLeft / step);
    let to = from + direction * (this.slideBy || perView);
    if (to > last) to = from >= last && (this.infinite || how === "auto") && this.done ? 0 : last;
    if (to < 0) to = from <= 0 && this.infinite ? last : 0;
    track.scrollTo({ left: to * step });
    this.rove(to);
    this.status.textContent = fill(this.t.shown, { n: to + 1, m: Math.min(to + perView, count), t: count });
    this.emit("navigate", { direction: direction > 0 ? "next" : "prev", index: to, trigger: how });
  }

  key(e) {
    const i = this.tiles.indexOf(e.target);
    const to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: this.items.length - 1 }[e.key];
    if (i < 0 || to == null) return;
    e.preventDefault();
    if (this.tiles[to]) {
      this.rove(to).focus();
      this.emit("navigate", { direction: to < i ? "prev" : "next", index: to, trigger: "key" });
    }
  }

  // Hides an arrow with nowhere to go (a hidden control leaves the Tab order), moving the focus off it
  // first: to the other arrow, else to `rest`.
  arrow(which, hide, other, rest) {
    if (hide && this.shadowRoot.activeElement === which) (other.hidden ? rest : other).focus();
    which.hidden = hide;
  }

  // Arrow states, and the next page once the shopper is within a view of the end.
  scrolled() {
    if (this.frame || !this.items.length) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      const { scrollLeft, clientWidth, scrollWidth } = this.track;
      const tile = this.tiles[this.cur];
      this.arrow(this.prev, scrollLeft <= 1 && !this.infinite, this.next, tile);
      this.arrow(this.next, scrollLeft + clientWidth >= scrollWidth - 2 && this.done && !this.infinite, this.prev, tile);
      if (scrollLeft + 2 * clientWidth >= scrollWidth) this.more();
    });
  }

  rotate(on) {
    clearInterval(this.timer);
    this.timer = on ? setInterval(() => !this.hovered && !this.dialog.open && !document.hidden && this.go(1, "auto"), this.interval) : 0;
    const name = on ? "stop" : "start";
    this.rotation.replaceChildren(svg(name));
    this.rotation.setAttribute("aria-label", this.t[name]);
    // Screen readers hear where navigation went, except while the carousel turns by itself.
    this.status.setAttribute("aria-live", on ? "off" : "polite");
  }

  // The lightbox: one dialog, paged with its buttons, the arrow keys or a swipe.
  open(i) {
    const t = this.t;
    const d = this.dialog;
    if (!this.stage) {
      this.back = button("prev", t.back, "prev");
      this.on = button("next", t.on, "next");
      this.back.addEventListener("click", () => this.flip(-1, "lightbox"));
      this.on.addEventListener("click", () => this.flip(1, "lightbox"));
      this.pos = el("p", { class: "pos", "aria-live": "polite" });
      this.picture = el("div", { class: "media" });
      this.stage = el("div", { class: "stage" }, this.back, this.picture, this.on, this.pos);
      this.info = el("div", { class: "info" });
      const close = button("close", t.close, "close");
      close.addEventListener("click", () => d.close());
      let x0, y0;
      this.stage.addEventListener("pointerdown", (e) => ([x0, y0] = [e.clientX, e.clientY]));
      this.stage.addEventListener("pointerup", (e) => {
        const dx = e.clientX - x0;
        if (Math.abs(dx) > 40 && Math.abs(dx) > Math.abs(e.clientY - y0)) this.flip(dx < 0 ? 1 : -1, "swipe");
      });
      d.append(close, this.stage, this.info);
    }
    this.show(i);
    d.showModal();
    d.firstChild.focus();
    const m = this.items[i];
    this.emit("click", { id: m.id, index: i });
    this.emit("lightbox-open", { id: m.id, index: i });
  }

  async flip(direction, how) {
    const i = this.at + direction;
    if (i >= this.items.length) await this.more();
    if (i < 0 || !this.items[i] || !this.dialog.open) return;
    this.show(i);
    this.emit("navigate", { direction: direction > 0 ? "next" : "prev", index: i, trigger: how });
  }

  show(i) {
    const m = this.items[(this.at = i)];
    const t = this.t;
    const big = rendition(m, ["normal", "original", "mobile"]);
    const who = m.uploader || {};
    this.picture.replaceChildren(m.type === "video" && safeUrl(m.video_url)
      ? el("video", { src: safeUrl(m.video_url), poster: safeUrl(big.url), controls: "", playsinline: "", preload: "none", width: big.width, height: big.height })
      : el("img", { part: "lightbox-image", alt: clip(m.caption || "", 150), src: safeUrl(big.url), srcset: srcset(m), sizes: "(min-width: 1000px) 640px, 92vw", width: big.width, height: big.height, decoding: "async" }));
    this.info.replaceChildren(
      // No avatar: it would send every shopper's browser to a third-party host.
      el("p", { class: "who" }, who.name || who.username || "", who.username ? el("span", { class: "user" }, "@" + who.username) : ""),
      el("p", { class: "caption", part: "caption" }, m.caption || ""));
    const products = (m.products || []).filter((p) => safeUrl(p.url));
    if (products.length) {
      this.info.append(el("h2", {}, t.shop), el("ul", { part: "shop" }, ...products.map((p) => el("li", {}, el("a", { href: safeUrl(p.url), part: "product" },
        p.image && safeUrl(p.image) ? el("img", { src: safeUrl(p.image), alt: "", width: 48, height: 48, loading: "lazy" }) : "", p.name || "")))));
    }
    if (REPORTS) {
      const details = el("details", { class: "report", part: "report" }, el("summary", {}, t.report));
      details.addEventListener("toggle", async () => {
        try {
          if (details.open && !details.querySelector("form")) (await (reporter = reporter || import(ORIGIN + REPORTS))).default(this, m.id, details);
        } catch (e) {
          reporter = null;
          console.warn(`ugc-carousel: no report form: ${e.message}`);
        }
      });
      this.info.append(details);
    }
    this.dialog.setAttribute("aria-label", clip(m.caption || fill(t.by, { name: who.name || "" }), 100));
    this.mark();
    if (i + 3 >= this.items.length) this.more(); // the next page before the shopper gets there
  }

  // The lightbox's position ("3 of 20") and arrows.
  mark() {
    const i = this.at, close = this.dialog.firstChild;
    this.pos.textContent = fill(this.t.slide, { n: i + 1, m: this.items.length });
    this.arrow(this.back, !i, this.on, close);
    this.arrow(this.on, i + 1 >= this.items.length && this.done, this.back, close);
  }

  icon(name) {
    return svg(name);
  }

  async upload(opener) {
    try {
      await (await (uploader = uploader || import(ORIGIN + UPLOAD))).default(this, opener);
    } catch (e) {
      uploader = null;
      console.warn(`ugc-carousel: no upload form: ${e.message}`);
    }
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

  // Escape or Close: back to the tile of the photo last shown, scrolled into view.
  closed() {
    const video = this.dialog.querySelector("video");
    if (video) video.pause();
    const i = this.at, step = this.tiles[i] && this.step(), track = this.track;
    if (!step) return;
    this.rove(i).focus({ preventScroll: true });
    if (i * step < track.scrollLeft || (i + 1) * step > track.scrollLeft + track.clientWidth + 9) track.scrollTo({ left: i * step });
  }
}

customElements.define("ugc-carousel", UgcCarousel);
})();
