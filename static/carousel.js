// <ugc-carousel>: the embeddable carousel of shoppers' photos and a brand's own assets. No dependencies,
// no framework, CSP-safe (no eval, no inline code or styles). The widgets blueprint fills in __CSS__,
// __REPORTS__ and __UPLOAD__ when it serves this file. It must stay within its gzip budget
// (tests/widget/test_assets.py): short internal names, one helper for each thing.
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
    close: "Close", by: "Shared by {n}", from: "From {n}", photo: "Photo", video: "Play video: {t}", shop: "Shop this look",
    report: "Report this photo", add: "Add your photo", empty: "No photos yet. Be the first to show yours!"
  },
  fr: {
    region: "Photos de nos clients", slide: "{n} sur {m}", shown: "Diapositives {n} à {m} sur {t}", prev: "Précédent",
    next: "Suivant", back: "Photo précédente", on: "Photo suivante", stop: "Arrêter le défilement automatique",
    start: "Démarrer le défilement automatique", close: "Fermer", by: "Partagée par {n}", from: "Source : {n}", photo: "Photo",
    video: "Lire la vidéo : {t}", shop: "Acheter ce look", report: "Signaler cette photo", add: "Ajouter votre photo",
    empty: "Pas encore de photo. Montrez la vôtre la première !"
  }
};
// Icons: 24px SVG paths, stroked in the button's colour.
const ICON = { prev: "M15 5l-7 7 7 7", next: "M9 5l7 7-7 7", close: "M6 6l12 12M18 6L6 18", stop: "M9 6v12M15 6v12", start: "M8 5v14l11-7z", add: "M12 5v14M5 12h14" };
let sheet;
const modules = {};

// Untrusted strings only ever reach the page as text nodes or attribute values.
const put = (node, attrs, kids) => {
  for (let [key, value] of Object.entries(attrs || {})) if (value != null) node.setAttribute(key, value);
  node.append(...kids);
  return node;
};
const el = (tag, attrs, ...kids) => put(document.createElement(tag), attrs, kids);
const ns = tag => document.createElementNS("http://www.w3.org/2000/svg", tag);
const svg = name => put(ns("svg"), { viewBox: "0 0 24 24", "aria-hidden": "true", class: "i" }, [put(ns("path"), { d: ICON[name] }, [])]);
const on = (node, type, f) => node.addEventListener(type, f);
const button = (cls, label, icon, text) => el("button", { type: "button", class: cls, part: cls, "aria-label": label }, svg(icon), text || "");
// An http(s) URL, absolute, else undefined (which no attribute gets): never a null made into ".../null".
const safe = url => {
  try {
    url = url && new URL(url, location.href);
    if (/^https?:$/.test(url.protocol)) return url.href;
  } catch {}
};
const clip = (text, n) => (text.length > n ? text.slice(0, n - 1) + "…" : text);
const fill = (text, values) => text.replace(/\{(\w+)\}/g, (_, k) => values[k]);
// Where a medium came from, in words: a brand's asset carries its credit ("From Acme"), a shopper's photo
// its uploader ("Shared by Jane @jane"). No `kind` (a service before federated galleries): a shopper's.
const brand = m => m.kind === "brand";
const origin = (t, m, who = m.uploader || {}, n = brand(m) ? m.credit : [who.name, who.username && "@" + who.username].join(" ").trim()) =>
  n ? fill(t[brand(m) ? "from" : "by"], { n }) : "";
// Tiles are square crops, so a rendition covers a tile as wide as its shorter side.
const srcset = (media, crop) => {
  let seen = new Map();
  for (let r of media.renditions || []) {
    let w = crop ? Math.min(r.width, r.height || r.width) : r.width;
    if (w > 0 && safe(r.url) && !seen.has(w)) seen.set(w, r.url);
  }
  return [...seen].map(([w, url]) => `${url} ${w}w`).join(", ");
};
const rendition = (media, names) => {
  let list = (media.renditions || []).filter(r => safe(r.url));
  for (let name of names) {
    let found = list.find(r => r.name === name);
    if (found) return found;
  }
  return list[0] || {};
};
// Until media arrive, skeleton squares keep the carousel's final height (no layout shift).
const skeleton = () => Array.from({ length: 6 }, () => el("div", { class: "slide skeleton", "aria-hidden": "true" }));
const NEAR = 600; // px from the viewport at which the carousel starts loading
const STALE = new Error("stale"); // an answer for the product the element showed before
const flag = v => /^(1|true)$/.test(v);
const typing = /^(INPUT|SELECT|TEXTAREA|VIDEO)$/; // elements that keep their arrow keys
const warn = text => console.warn("ugc-carousel: " + text);
// A form module (upload, report), imported on first use only, and again after a failure.
const use = async (path, ...args) => {
  try {
    await (await (modules[path] ||= import(ORIGIN + path))).default(...args);
  } catch (e) {
    delete modules[path];
    warn("no form: " + e.message);
  }
};

class UgcCarousel extends HTMLElement {
  // What to show: another product, or other providers, and the carousel starts over.
  static observedAttributes = ["tag-key", "providers", "mix"];
  icon = svg; // for the form modules

  attr(name) {
    return this.getAttribute(name);
  }

  connectedCallback() {
    if (this.shadowRoot) return;
    let lang = (this.attr("locale") || document.documentElement.lang || "en").slice(0, 2).toLowerCase();
    let t = (this.t = TEXT[(this.lang = TEXT[lang] ? lang : "en")]);
    let root = this.attachShadow({ mode: "open" });
    if (!sheet) (sheet = new CSSStyleSheet()).replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
    this.gen = 0;
    let per = parseInt(this.attr("slides-per-view"));
    if (per > 0) this.style.setProperty("--ugc-slides-per-view", per);

    let rotation = (this.rotation = button("rotation", null, "start"));
    let prev = (this.prev = button("prev", t.prev, "prev"));
    let next = (this.next = button("next", t.next, "next"));
    for (let b of [prev, next]) b.setAttribute("aria-controls", "slides");
    let track = (this.track = el("div", { class: "track", part: "track", id: "slides" }));
    this.status = el("p", { class: "live sr", "aria-live": "polite" });
    let d = (this.dialog = el("dialog", { part: "lightbox" }));
    let section = el("section", { "aria-roledescription": "carousel", "aria-label": this.attr("label") || t.region, part: "carousel" });
    // "Add your photo" only where the page asks for uploads, and the service takes them: a bar of its own
    // above the slides (reserve.css keeps its height too), so it covers no photo.
    if (UPLOAD && this.hasAttribute("uploads")) section.append(el("div", { class: "bar" }, (this.addPhoto = this.adder())));
    section.append(el("div", { class: "view" }, rotation, prev, next, track), this.status);
    root.append(section, d);
    this.clear();

    on(prev, "click", () => this.go(-1, "prev"));
    on(next, "click", () => this.go(1, "next"));
    on(rotation, "click", () => this.rotate(!this.timer));
    on(track, "keydown", e => this.key(e));
    on(track, "scroll", () => this.scrolled()); // (scroll events never block scrolling: no `passive` needed)
    on(d, "keydown", e => {
      let dir = { ArrowLeft: -1, ArrowRight: 1 }[e.key];
      this.trap(e);
      if (dir && !typing.test(e.target.tagName)) {
        e.preventDefault();
        this.flip(dir, "key");
      }
    });
    on(d, "click", e => e.target === d && d.close());
    on(d, "close", () => this.closed());
    // The APG's rule: hovering pauses the rotation; any other interaction stops it until the shopper starts it again.
    for (let type of ["mouseenter", "mouseleave", "pointerdown", "keydown", "focusin"]) {
      on(this, type, e => {
        if (type.startsWith("mouse")) this.hovered = type === "mouseenter";
        else if (this.timer && !rotation.contains(e.composedPath()[0])) this.rotate(false);
      });
    }
    // Nothing is fetched until the element comes near the viewport. Already near it: no need to wait
    // for the observer's first report, which only comes after the next frame.
    let box = this.getBoundingClientRect();
    if (box.width && box.top < innerHeight + NEAR && box.bottom > -NEAR) return this.start();
    let near = new IntersectionObserver(list => {
      if (list.some(e => e.isIntersecting)) {
        near.disconnect();
        this.start();
      }
    }, { rootMargin: NEAR + "px" });
    near.observe(this);
  }

  disconnectedCallback() {
    clearInterval(this.timer);
  }

  // A single-page shop may reuse the element for another product: start again from nothing.
  attributeChangedCallback(name, old, value) {
    if (!this.api || old === value) return;
    this.gen++;
    clearInterval(this.timer);
    this.dialog.close(); // (a no-op when closed)
    this.io?.disconnect();
    this.clear();
    this.hidden = false;
    this.start();
  }

  // Nothing shown yet: the loading skeleton, and no arrow until there is somewhere to go.
  clear() {
    Object.assign(this, { timer: 0, items: [], tiles: [], cur: 0, seen: new Set(), cursor: null, done: false, busy: null, warned: false });
    this.rotation.hidden = this.prev.hidden = this.next.hidden = true;
    this.addPhoto?.classList.remove("gone");
    this.track.replaceChildren(...skeleton());
  }

  emit(name, detail) {
    this.dispatchEvent(new CustomEvent("ugc:" + name, { bubbles: true, composed: true, detail }));
  }

  // What an event says of medium i: for analytics, where it came from and what it is.
  info(i) {
    let m = this.items[i];
    return { id: m.id, index: i, provider: m.provider, kind: m.kind || "ugc" };
  }

  nav(dir, trigger, i) {
    this.emit("navigate", { direction: dir > 0 ? "next" : "prev", trigger, ...this.info(i) });
  }

  // The one console message a failure produces, after which the element takes no space.
  fail(reason) {
    if (!this.warned) warn(`no gallery shown for "${this.attr("tag-key")}": ${reason}`);
    this.warned = true;
    clearInterval(this.timer);
    if (!this.items.length) this.hidden = true;
  }

  async get(path, cache) {
    let gen = this.gen;
    let abort = new AbortController();
    let timer = setTimeout(() => abort.abort(), parseInt(this.attr("timeout")) || 8000);
    try {
      let res = await fetch(this.api + path, { signal: abort.signal, credentials: "omit", cache });
      if (!res.ok) throw Object.assign(new Error(`HTTP ${res.status}`), { status: res.status });
      return await res.json();
    } catch (e) {
      throw e.name === "AbortError" ? new Error("timed out") : e;
    } finally {
      clearTimeout(timer);
      // An answer, or a failure, for what the element showed before: STALE instead, whatever happened.
      if (gen !== this.gen) throw STALE; // eslint-disable-line no-unsafe-finally
    }
  }

  async start() {
    let gen = this.gen;
    let attr = name => this.attr(name);
    try {
      this.api = (attr("api-base") || ORIGIN).replace(/\/$/, "");
      let config = { limit: attr("limit"), sort: attr("sort"), interval: attr("interval"), autoplay: this.hasAttribute("autoplay") };
      if (attr("instance")) {
        let settings = await this.get(`/widgets/instances/${encodeURIComponent(attr("instance"))}.json`);
        for (let key of ["limit", "sort", "interval"]) config[key] = config[key] || settings[key];
        config.autoplay = config.autoplay || flag(settings.auto_play);
        this.slideBy = parseInt(settings.slide_by) || 0;
        this.infinite = flag(settings.infinite);
      }
      if (!attr("tag-key")) throw new Error("no tag-key");
      let query = new URLSearchParams({ limit: Math.min(parseInt(config.limit) || 12, 100) });
      // `providers` and `mix` pick and weight the sources of this element's gallery (the service's default: all).
      for (let [key, value] of [["sort", config.sort], ["providers", attr("providers")], ["mix", attr("mix")], ["rights_given", this.hasAttribute("rights-only") && 1]]) {
        if (value) query.set(key, value);
      }
      this.query = `/api/v1/products/${encodeURIComponent(attr("tag-key"))}/media?${query}`;
      await this.more();
      if (gen !== this.gen || this.warned) return;
      if (!this.items.length) {
        // A known product without media yet: an invitation to add the first photo, where the page takes uploads.
        if (!this.addPhoto) throw new Error("no media");
        this.addPhoto.classList.add("gone");
        this.track.replaceChildren(el("div", { class: "empty" }, el("p", {}, this.t.empty), this.adder()));
      }
      this.emit("load", { tagKey: attr("tag-key"), count: this.items.length });
      if (!this.items.length) return;
      this.interval = Math.max(parseInt(config.interval) || 5000, 2000);
      if (config.autoplay) {
        this.rotation.hidden = false;
        this.rotate(!matchMedia("(prefers-reduced-motion: reduce)").matches);
      }
    } catch (e) {
      if (e !== STALE) this.fail(e.message);
    }
  }

  // An "Add your photo" button.
  adder() {
    let add = button("add", null, "add", this.t.add);
    on(add, "click", () => use(UPLOAD, this, add));
    return add;
  }

  // The next page, once: callers share the request in flight.
  more() {
    if (!this.busy && !this.done) {
      let p = (this.busy = this.page().finally(() => {
        if (this.busy === p) this.busy = null;
        this.scrolled();
        if (this.dialog.open) this.mark();
      }));
    }
    return this.busy;
  }

  // Appends the next page. An expired cursor restarts once from the first page, skipping media already shown.
  async page() {
    let again = false;
    try {
      for (let pages = 0; pages < 10; pages++) {
        let page;
        try {
          // After a restart, the browser's copy of the first page would hold the expired cursor again.
          page = await this.get(this.query + (this.cursor ? "&cursor=" + encodeURIComponent(this.cursor) : ""), again ? "no-cache" : undefined);
        } catch (e) {
          if (e.status !== 410 || !this.cursor || again) throw e;
          again = true;
          this.cursor = null;
          continue;
        }
        this.cursor = page.next;
        this.done = !page.next;
        let fresh = (page.media || []).filter(m => m && m.id && !this.seen.has(m.id));
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
    let t = this.t, track = this.track, size = this.step(), visible = Math.ceil(track.clientWidth / size) || 1;
    if (!this.items.length) {
      track.textContent = "";
      this.io = new IntersectionObserver(list => {
        for (let e of list) {
          if (e.isIntersecting) {
            this.io.unobserve(e.target);
            this.emit("impression", this.info(+e.target.dataset.i));
          }
        }
      }, { threshold: 0.5 });
    }
    for (let m of media) {
      let i = this.items.push(m) - 1;
      this.seen.add(m.id);
      // A brand's credit is on its tile (the badge, "From Acme"), so in the tile's name: not in the image's too.
      let badge = brand(m) ? origin(t, m) : "", alt = clip(m.caption || (badge ? "" : origin(t, m) || t.photo), 150);
      let small = rendition(m, ["mobile", "normal", "thumbnail", "original"]);
      let img = el("img", {
        part: "image", alt, sizes: Math.ceil(size) + "px", srcset: srcset(m, true), src: safe(small.url),
        decoding: "async", loading: i < visible ? "eager" : "lazy"
      });
      // One Tab stop for all the slides (roving tabindex): the arrow keys move between them.
      let tile = el("button", { type: "button", class: "tile", part: "tile", tabindex: i === this.cur ? 0 : -1 }, img);
      if (m.caption) tile.append(el("span", { class: "cap", "aria-hidden": "true" }, clip(m.caption, 90)));
      // Inside the same square: no layout change.
      if (badge) tile.append(el("span", { class: "credit", part: "credit" }, badge));
      if (m.type === "video") {
        tile.setAttribute("aria-label", fill(t.video, { t: (alt + " " + badge).trim() }));
        tile.append(el("span", { class: "play" }, svg("start")));
      }
      on(tile, "click", () => this.open(i));
      on(tile, "focus", () => this.rove(i));
      this.tiles.push(tile);
      let slide = el("div", { class: "slide", part: "slide", role: "group", "aria-roledescription": "slide", "data-i": i }, tile);
      track.append(slide);
      this.io.observe(slide);
    }
    let slides = track.children;
    for (let n = 0; n < slides.length; n++) slides[n].setAttribute("aria-label", fill(t.slide, { n: n + 1, m: slides.length }));
  }

  // Makes slide i the carousel's Tab stop.
  rove(i) {
    let tiles = this.tiles;
    if (tiles[this.cur]) tiles[this.cur].tabIndex = -1;
    tiles[(this.cur = i)].tabIndex = 0;
    return tiles[i];
  }

  step() {
    return this.track.firstChild.getBoundingClientRect().width + parseFloat(getComputedStyle(this.track).columnGap || 0);
  }

  go(dir, how) {
    if (!this.items.length) return;
    let track = this.track, step = this.step(), count = this.items.length;
    let perView = Math.max(1, Math.floor((track.clientWidth + 2) / step)), last = Math.max(0, count - perView), from = Math.round(track.scrollLeft / step);
    let to = from + dir * (this.slideBy || perView);
    if (to > last) to = from >= last && (this.infinite || how === "auto") && this.done ? 0 : last;
    if (to < 0) to = from <= 0 && this.infinite ? last : 0;
    track.scrollTo({ left: to * step });
    this.rove(to);
    this.status.textContent = fill(this.t.shown, { n: to + 1, m: Math.min(to + perView, count), t: count });
    this.nav(dir, how, to);
  }

  key(e) {
    let i = this.tiles.indexOf(e.target);
    let to = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: this.items.length - 1 }[e.key];
    if (i < 0 || to == null) return;
    e.preventDefault();
    if (this.tiles[to]) {
      this.rove(to).focus();
      this.nav(to - i, "key", to);
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
      let { scrollLeft, clientWidth, scrollWidth } = this.track;
      let tile = this.tiles[this.cur];
      this.arrow(this.prev, scrollLeft <= 1 && !this.infinite, this.next, tile);
      this.arrow(this.next, scrollLeft + clientWidth >= scrollWidth - 2 && this.done && !this.infinite, this.prev, tile);
      if (scrollLeft + 2 * clientWidth >= scrollWidth) this.more();
    });
  }

  rotate(run) {
    clearInterval(this.timer);
    this.timer = run ? setInterval(() => !this.hovered && !this.dialog.open && !document.hidden && this.go(1, "auto"), this.interval) : 0;
    let name = run ? "stop" : "start";
    this.rotation.replaceChildren(svg(name));
    this.rotation.setAttribute("aria-label", this.t[name]);
    // Screen readers hear where navigation went, except while the carousel turns by itself.
    this.status.setAttribute("aria-live", run ? "off" : "polite");
  }

  // The lightbox: one dialog, paged with its buttons, the arrow keys or a swipe.
  open(i) {
    let t = this.t;
    let d = this.dialog;
    if (!this.stage) {
      this.back = button("prev", t.back, "prev");
      this.on = button("next", t.on, "next");
      on(this.back, "click", () => this.flip(-1, "lightbox"));
      on(this.on, "click", () => this.flip(1, "lightbox"));
      this.pos = el("p", { class: "pos", "aria-live": "polite" });
      this.picture = el("div", { class: "media" });
      this.stage = el("div", { class: "stage" }, this.back, this.picture, this.on, this.pos);
      this.about = el("div", { class: "info" });
      let close = button("close", t.close, "close");
      on(close, "click", () => d.close());
      let x0, y0;
      on(this.stage, "pointerdown", e => ([x0, y0] = [e.clientX, e.clientY]));
      on(this.stage, "pointerup", e => {
        let dx = e.clientX - x0;
        if (Math.abs(dx) > 40 && Math.abs(dx) > Math.abs(e.clientY - y0)) this.flip(dx < 0 ? 1 : -1, "swipe");
      });
      d.append(close, this.stage, this.about);
    }
    this.show(i);
    d.showModal();
    d.firstChild.focus();
    for (let name of ["click", "lightbox-open"]) this.emit(name, this.info(i));
  }

  async flip(dir, how) {
    let i = this.at + dir;
    if (i >= this.items.length) await this.more();
    if (i < 0 || !this.items[i] || !this.dialog.open) return;
    this.show(i);
    this.nav(dir, how, i);
  }

  show(i) {
    let m = this.items[(this.at = i)];
    let t = this.t;
    let big = rendition(m, ["normal", "original", "mobile"]);
    let words = origin(t, m);
    this.picture.replaceChildren(m.type === "video" && safe(m.video_url)
      ? el("video", { src: safe(m.video_url), poster: safe(big.url), controls: "", playsinline: "", preload: "none", width: big.width, height: big.height })
      : el("img", { part: "lightbox-image", alt: clip(m.caption || "", 150), src: safe(big.url), srcset: srcset(m), sizes: "(min-width: 1000px) 640px, 92vw", width: big.width, height: big.height, decoding: "async" }));
    this.about.replaceChildren(
      // Where it came from, in words ("Shared by @jane", "From Acme"). No avatar: it would send every
      // shopper's browser to a third-party host.
      el("p", { class: "who" }, words),
      el("p", { class: "caption", part: "caption" }, m.caption || ""));
    let products = (m.products || []).filter(p => safe(p.url));
    if (products.length) {
      this.about.append(el("h2", {}, t.shop), el("ul", { part: "shop" }, ...products.map(p => el("li", {}, el("a", { href: safe(p.url), part: "product" },
        safe(p.image) ? el("img", { src: safe(p.image), alt: "", width: 48, height: 48, loading: "lazy" }) : "", p.name || "")))));
    }
    if (REPORTS) {
      let details = el("details", { class: "report", part: "report" }, el("summary", {}, t.report));
      on(details, "toggle", () => details.open && !details.querySelector("form") && use(REPORTS, this, m.id, details));
      this.about.append(details);
    }
    this.dialog.setAttribute("aria-label", clip(m.caption || words || t.photo, 100));
    this.mark();
    if (i + 3 >= this.items.length) this.more(); // the next page before the shopper gets there
  }

  // The lightbox's position ("3 of 20") and arrows.
  mark() {
    let i = this.at, close = this.dialog.firstChild;
    this.pos.textContent = fill(this.t.slide, { n: i + 1, m: this.items.length });
    this.arrow(this.back, !i, this.on, close);
    this.arrow(this.on, i + 1 >= this.items.length && this.done, this.back, close);
  }

  // Tab and Shift+Tab cycle inside the open dialog (the lightbox, or the upload form's).
  trap(e) {
    if (e.key !== "Tab") return;
    let stops = [...e.currentTarget.querySelectorAll("*")]
      .filter(n => n.tabIndex >= 0 && !n.disabled && (!n.checkVisibility || n.checkVisibility()));
    let active = this.shadowRoot.activeElement;
    let edge = e.shiftKey ? stops[0] : stops[stops.length - 1];
    if (active === edge || !stops.includes(active)) {
      e.preventDefault();
      (e.shiftKey ? stops[stops.length - 1] : stops[0]).focus();
    }
  }

  // Escape or Close: back to the tile of the photo last shown, scrolled into view.
  closed() {
    this.dialog.querySelector("video")?.pause();
    let i = this.at, step = this.tiles[i] && this.step(), track = this.track;
    if (!step) return;
    this.rove(i).focus({ preventScroll: true });
    if (i * step < track.scrollLeft || (i + 1) * step > track.scrollLeft + track.clientWidth + 9) track.scrollTo({ left: i * step });
  }
}

customElements.define("ugc-carousel", UgcCarousel);
})();
