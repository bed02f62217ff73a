"""The seeded catalogue: the reference's worked example plus a generated, fixed-seed shop.

Everything here is deterministic (one `random.Random(SEED)`, fixed dates), so ids, captions and
orderings are the same on every start and after every reset.
"""
import random
import re
from datetime import datetime, timezone

from .store import Category, Customer, Medium, State, Stream, User, WidgetInstance, WidgetStyle

SEED = 215815
CUSTOMER_ID = "215815"
OTHER_CUSTOMER_ID = "215816"
SHOP = "https://acme.com"

# Offset that turns the reference's media ids into its image keys (3042079979 -> "tvd7rd4").
_KEY_OFFSET = 6496803870
_B36 = "0123456789abcdefghijklmnopqrstuvwxyz"


def image_key(media_id: str) -> str:
    n, digits = int(media_id) + _KEY_OFFSET, []
    while n:
        n, d = divmod(n, 36)
        digits.append(_B36[d])
    return "".join(digits)  # least significant digit first, as in the reference's paths


def _ts(text: str) -> float:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc).timestamp()


# The reference's "Retrieving Content using Product ID" example, verbatim.
ANVIL_STREAM_ID = "2190252887"
ANVIL_MEDIA = [  # id, key, caption, submitted, published, width, height
    ("3042079992", "8wd7rd4", "Old school Acme Anvil poster", "2018-10-02T19:31:07", "2018-10-02T19:31:58", 513, 432),
    ("3042079997", "dwd7rd4", "Normal product shot", "2018-10-02T19:31:08", "2018-10-02T19:31:58", 500, 500),
    ("3042079985", "zvd7rd4", "Cool display box", "2018-10-02T19:31:06", "2018-10-02T19:31:57", 1377, 1500),
    ("3042079982", "wvd7rd4", "Crates of Acme Anvils!", "2018-10-02T19:31:04", "2018-10-02T19:31:55", 500, 404),
    ("3042079980", "uvd7rd4", "Acme Anvil on top of beautiful box", "2018-10-02T19:31:02", "2018-10-02T19:31:55", 1500, 1429),
    ("3042079979", "tvd7rd4", "My shiny Acme Anvil!", "2018-10-02T19:31:01", "2018-10-02T19:31:53", 1092, 727),
]

ANVIL_UPLOADERS = ["Rosa Delgado", "Kenji Mori", "Amara Nwosu", "Lena Fischer", "Tomás Ribeiro"]

COUNT_FIXTURES = [0, 1, 20, 21, 50, 51, 520]

HOSTILE_CAPTIONS = [
    '<b>Bold</b> & <i>italic</i> "double" \'single\' &amp; &lt;escaped&gt;',
    '<script>alert("sandbox-xss")</script> Love my new anvil',
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(document.cookie)> {{7*7}} ${7*7}',
    "Rocket skates!!! \U0001F680\U0001F525\U0001F44D\U0001F3FD \U0001F468\u200D\U0001F469\u200D\U0001F467\u200D\U0001F466 \U0001F1FA\U0001F1F8",
    "\u05d4\u05e1\u05d3\u05df \u05d4\u05d6\u05d4 \u05de\u05e2\u05d5\u05dc\u05d4! Acme \u0647\u0630\u0627 \u0627\u0644\u0633\u0646\u062f\u0627\u0646 \u0631\u0627\u0626\u0639 \u202eevil\u202c",
    "Line one\nLine two\r\n\tTabbed\u0000null and \u200bzero\u200bwidth",
    ("Acme anvils are the finest anvils money can buy. " * 41)[:2000],
]

CATEGORIES = [
    ("anvils", "Anvils"), ("rockets", "Rockets & Jets"), ("explosives", "Explosives"),
    ("traps", "Traps"), ("disguises", "Disguises"), ("magnets", "Magnets"),
    ("springs", "Springs & Catapults"), ("paint", "Instant Paint"), ("vehicles", "Vehicles"),
    ("edibles", "Edibles"),
]

PRODUCTS = [  # name, category keys
    ("Anvil", ["anvils"]), ("Rocket Skates", ["rockets", "vehicles"]), ("Giant Magnet", ["magnets"]),
    ("Earthquake Pills", ["edibles", "explosives"]), ("Bird Seed", ["edibles", "traps"]),
    ("Jet-Propelled Pogo Stick", ["rockets", "springs"]), ("Dehydrated Boulders", ["traps"]),
    ("Instant Hole", ["paint", "traps"]), ("Batman Outfit", ["disguises"]), ("Catapult", ["springs"]),
    ("TNT", ["explosives"]), ("Rocket Sled", ["rockets", "vehicles"]), ("Spring-Powered Shoes", ["springs"]),
    ("Invisible Paint", ["paint"]), ("Tornado Seeds", ["edibles"]), ("Bat-Man Cape", ["disguises"]),
    ("Iron Carrot", ["edibles", "magnets"]), ("Super Outfit", ["disguises"]), ("Giant Rubber Band", ["springs"]),
    ("Do-It-Yourself Tornado Kit", ["explosives", "traps"]), ("Jet Motor", ["rockets", "vehicles"]),
    ("Axle Grease", ["traps"]), ("Indestructo Steel Ball", ["traps", "anvils"]), ("Triple-Strength Fortified Leg Muscle Vitamins", ["edibles"]),
]
VARIANTS = ["Red", "Blue", "Classic", "Deluxe", "Mini", "XL", "Pro", "Turbo", "Silver", "Gold"]
COLORS = ["Desert Red,Canyon Orange,", "Coyote Brown,", "Roadrunner Blue,Dust Grey,", "Acme Black,", "Cactus Green,", ""]
ANVIL_SIZES = ["10lb", "25lb", "100lb", "500lb", "1 Ton"]

CAPTION_OPENERS = ["Finally got my", "Can't stop using my", "Look at this", "Best purchase ever:", "Unboxing the",
                   "Weekend project with my", "Gift for dad:", "Testing the new", "Obsessed with this", "Day 3 with the"]
CAPTION_CLOSERS = ["#acme", "#beepbeep", "works every time!", "10/10 would buy again", "\u2764\ufe0f",
                   "not sponsored", "#desertlife", "\U0001F4AA", "so far so good", "#wileecoyote"]
FIRST_NAMES = ["Wile", "Rosa", "Kenji", "Amara", "Lena", "Tomas", "Priya", "Omar", "Ines", "Jonas", "Mei", "Sam"]
LAST_NAMES = ["Coyote", "Diaz", "Tanaka", "Okafor", "Novak", "Silva", "Rao", "Haddad", "Moreau", "Berg", "Chen", "Lee"]
SIZES = [(640, 640), (1080, 1080), (1080, 1350), (1920, 1080), (1200, 800), (750, 1000), (2048, 1365), (612, 612)]
CITIES = [(40.8663, -74.6323), (33.5138, -112.067), (34.0522, -118.2437), (36.1699, -115.1398), (35.0844, -106.6504)]

GENERATED_MEDIA = 4500
FIRST_DATE, LAST_DATE = _ts("2019-01-01T00:00:00"), _ts("2025-09-30T00:00:00")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


class _Seeder:
    def __init__(self, api_key: str):
        self.rng = random.Random(SEED)
        self.state = State(api_key)
        self.next_ids = {"stream": 2190300000, "media": 3050000000, "base": 3040000000, "user": 100000000,
                         "category": 1045000000}

    def new_id(self, kind: str) -> str:
        self.next_ids[kind] += 1
        return str(self.next_ids[kind])

    # -- entities -------------------------------------------------------------------------------
    def user(self, social: str | None, customer_id=CUSTOMER_ID, handle=None) -> User:
        rng = self.rng
        name = f"{rng.choice(FIRST_NAMES)} {rng.choice(LAST_NAMES)}"
        username = handle or _slug(name).replace("-", "_") + str(rng.randint(1, 999))
        uid = self.new_id("user")
        social_map = {}
        if social:
            social_map = {social: {"username": username, "source_id": str(rng.randint(10**8, 10**10))}}
        u = User(uid, customer_id, name, username, f"{username}@example.com", None, social_map,
                 rng.randint(50, 50000) if social == "instagram" else 0)
        self.state.users[uid] = u
        return u

    def fan(self, name: str) -> User:
        """A shopper without a social account, named, drawing nothing from the seeded random numbers."""
        username = _slug(name).replace("-", "_")
        u = User(self.new_id("user"), CUSTOMER_ID, name, username, f"{username}@example.com", None)
        self.state.users[u.id] = u
        return u

    def stream(self, name, tag_key, *, gallery_status="OK", product_status="available", customer_id=CUSTOMER_ID,
               product_url=None, info=None, base_image=True, stream_id=None) -> Stream:
        s = Stream(stream_id or self.new_id("stream"), customer_id, name, tag_key, product_url,
                   gallery_status, product_status, product_info=info or self.product_info(product_status))
        if base_image:
            s.base_image_id = self.base_image(s).id
        self.state.streams[s.id] = s
        return s

    def product_stream(self, name: str, status="available") -> Stream:
        slug = _slug(name)
        return self.stream(name, slug, product_status=status, product_url=f"{SHOP}/{slug}")

    def product_info(self, status: str) -> dict:
        rng = self.rng
        in_stock = status == "available"
        return {"price": f"{rng.randint(5, 400)}.{rng.choice(['00', '49', '99'])}",
                "availability": "true" if in_stock else "false",
                "stock": str(rng.randint(1, 250)) if in_stock else "0",
                "color": rng.choice(COLORS) or None}

    def base_image(self, s: Stream) -> Medium:
        mid = self.new_id("base")
        w, h = self.rng.choice([(800, 800), (439, 659), (1000, 1000)])
        return self.state.add_medium(Medium(
            mid, s.customer_id, self.state.customers[s.customer_id].owner_user_id, image_key(mid), "IMAGE",
            "base_image", None, None, s.name, FIRST_DATE, FIRST_DATE, w, h, "approved", listed=False))

    def medium(self, uploader: User, when: float, *, caption=None, kind="IMAGE", rights=None,
               streams=(), media_id=None, key=None, size=None) -> Medium:
        rng = self.rng
        mid = media_id or self.new_id("media")
        source, source_id, original = "harddrive", None, None
        if "instagram" in uploader.social:
            code = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-") for _ in range(11))
            source, source_id = "instagram", f"{rng.randint(10**17, 10**18)}_{uploader.social['instagram']['source_id']}"
            original = f"https://www.instagram.com/p/{code}/"
        elif "twitter" in uploader.social:
            tweet = str(rng.randint(10**17, 10**18))
            source, source_id, original = "twitter", tweet, f"https://twitter.com/{uploader.username}/status/{tweet}"
        w, h = size or ((1280, 720) if kind == "VIDEO" else rng.choice(SIZES))
        m = Medium(mid, uploader.customer_id, uploader.id, key or image_key(mid), kind, source, source_id, original,
                   caption if caption is not None else self.caption(), when - rng.randint(60, 86400), when, w, h,
                   "approved", likes=rng.randint(0, 400), photorank=round(rng.random(), 4),
                   ctr=round(rng.random() * 0.2, 4), rights=rng.random() < 0.6 if rights is None else rights,
                   location=rng.choice(CITIES) if rng.random() < 0.3 else None)
        self.state.add_medium(m)
        for s in streams:
            self.state.tag(m, s)
        return m

    def caption(self) -> str:
        rng = self.rng
        return f"{rng.choice(CAPTION_OPENERS)} {rng.choice(PRODUCTS)[0].lower()} {rng.choice(CAPTION_CLOSERS)}"

    def when(self) -> float:
        return self.rng.uniform(FIRST_DATE, LAST_DATE)

    def category(self, key: str, name: str, customer_id=CUSTOMER_ID) -> Category:
        c = Category(self.new_id("category"), customer_id, key, name, f"{SHOP}/c/{key}")
        self.state.categories[c.id] = c
        return c

    def categorise(self, s: Stream, c: Category) -> None:
        s.category_ids.append(c.id)
        c.stream_ids.append(s.id)

    # -- the catalogue --------------------------------------------------------------------------
    def seed(self) -> State:
        st, rng = self.state, self.rng
        owner = User("100000000", CUSTOMER_ID, "Acme Brand Team", "acme", "brand@acme.com", None)
        st.users[owner.id] = owner
        st.customers[CUSTOMER_ID] = Customer(CUSTOMER_ID, "Acme", "acme.com", owner.id)
        st.customers[OTHER_CUSTOMER_ID] = Customer(OTHER_CUSTOMER_ID, "Globex", "globex.example", "100000999")
        st.key_customer_id = CUSTOMER_ID
        fx = st.fixtures

        categories = {key: self.category(key, name) for key, name in CATEGORIES}
        fx["categories"] = {key: c.id for key, c in categories.items()}

        fans = {"instagram": self.user("instagram", handle="acme_fan"), "twitter": self.user("twitter"),
                "none": self.user(None)}
        fx["users"] = {"instagram": {"id": fans["instagram"].id, "handle": "acme_fan"},
                       "twitter": {"id": fans["twitter"].id}, "none": {"id": fans["none"].id}}
        crowd = [self.user(rng.choices(["instagram", "twitter", None], [7, 2, 1])[0]) for _ in range(300)]
        crowd += list(fans.values())

        anvil = self.stream("Acme Anvil - 50lb", "acme-anvil-50lb", stream_id=ANVIL_STREAM_ID,
                            product_url=f"{SHOP}/acme-anvil-50lb",
                            info={"price": None, "availability": None, "stock": None, "color": None})
        self.categorise(anvil, categories["anvils"])
        # Each of the reference's six photos by a shopper of its own (no social account, so the rest of the
        # seeded catalogue draws the same random numbers as before).
        uploaders = [fans["none"]] + [self.fan(name) for name in ANVIL_UPLOADERS]
        for (mid, key, caption, submitted, published, w, h), uploader in zip(ANVIL_MEDIA, uploaders):
            m = self.medium(uploader, _ts(published), caption=caption, media_id=mid, key=key, size=(w, h),
                            rights=True, streams=[anvil])
            m.date_submitted, m.likes, m.location = _ts(submitted), 0, None
        # The reference lists 3042079992 before 3042079997 although both show 19:31:58: it was
        # published a fraction of a second later, which the seconds-only dates hide.
        st.media["3042079992"].date_published += 0.5

        products = self.products(categories)
        fixture_streams = {"acme-anvil-50lb": anvil}
        for n in COUNT_FIXTURES:
            s = self.stream(f"Sandbox fixture: {n} media", f"test-{n}-media", product_url=f"{SHOP}/test-{n}-media",
                            product_status="available")
            fixture_streams[s.tag_key] = s
            for _ in range(n):  # rights given, so the counts hold under every filter
                self.medium(rng.choice(crowd), self.when(), rights=True, streams=[s])

        rights = self.stream("Sandbox fixture: rights", "test-rights-media", product_url=f"{SHOP}/test-rights-media")
        for i in range(30):
            self.medium(rng.choice(crowd), self.when(), rights=i % 5 < 3, streams=[rights])
        fixture_streams[rights.tag_key] = rights
        fx["rights"] = rights.id

        hostile = self.stream("Sandbox fixture: hostile captions", "test-hostile-media",
                              product_url=f"{SHOP}/test-hostile-media")
        fixture_streams[hostile.tag_key] = hostile
        fx["hostile_media"] = [self.medium(rng.choice(crowd), self.when(), caption=c, streams=[hostile]).id
                               for c in HOSTILE_CAPTIONS]

        video = self.stream("Sandbox fixture: videos", "test-video-media", product_url=f"{SHOP}/test-video-media")
        fixture_streams[video.tag_key] = video
        fx["video_media"] = [self.medium(rng.choice(crowd), self.when(), kind="VIDEO", streams=[video]).id
                             for _ in range(6)]

        # The long tail: most media belong to one product, some to several, a few are videos.
        weights = [1 / (i + 1) ** 0.7 for i in range(len(products))]
        multi = []
        for _ in range(GENERATED_MEDIA):
            kind = "VIDEO" if rng.random() < 0.02 else "IMAGE"
            streams = rng.choices(products, weights)
            if rng.random() < 0.06:
                streams = list(dict.fromkeys(streams + rng.sample(products, rng.randint(1, 3))))
            m = self.medium(rng.choice(crowd), self.when(), kind=kind, streams=streams)
            if kind == "VIDEO":
                fx["video_media"].append(m.id)
            if len(streams) > 1:
                multi.append(m.id)
        fx["multi_product_media"] = multi

        tag = self.stream("#acmelife", "acmelife", gallery_status="TAG", product_status="miscellaneous",
                          info={"price": None, "availability": None, "stock": None, "color": None}, base_image=False)
        inactive = self.stream("Acme Anvil - 5lb (retired)", "acme-anvil-5lb", gallery_status="INACTIVE",
                               product_status="discontinued", product_url=f"{SHOP}/acme-anvil-5lb")
        product_ids = {s.id for s in products}
        listed = [m for m in st.media.values() if len(m.stream_ids) == 1 and m.stream_ids[0] in product_ids]
        for m in rng.sample(listed, 60):
            self.state.tag(m, tag)
        for m in rng.sample(listed, 25):
            self.state.tag(m, inactive)
        fixture_streams[tag.tag_key], fixture_streams[inactive.tag_key] = tag, inactive
        fx["tag_stream"], fx["inactive_stream"] = tag.id, inactive.id
        fx["streams"] = {key: s.id for key, s in fixture_streams.items()}

        self.other_customer()
        self.widgets(anvil)
        st.index()
        st.next_media_id = self.next_ids["media"] + 1
        st.next_user_id = self.next_ids["user"] + 1
        return st

    def products(self, categories: dict) -> list[Stream]:
        rng, streams = self.rng, []
        for size in ANVIL_SIZES:
            s = self.product_stream(f"Acme Anvil - {size}")
            self.categorise(s, categories["anvils"])
            streams.append(s)
        for name, keys in PRODUCTS:
            for variant in VARIANTS:
                status = "unavailable" if rng.random() < 0.1 else "available"
                s = self.product_stream(f"Acme {name} - {variant}", status)
                for key in keys:
                    self.categorise(s, categories[key])
                streams.append(s)
        return streams

    def other_customer(self) -> None:
        """A few entities of customer 215816, which the sandbox key may not read (403)."""
        owner = User("100000999", OTHER_CUSTOMER_ID, "Globex Team", "globex", "team@globex.example", None)
        self.state.users[owner.id] = owner
        s = self.stream("Globex Hammock", "globex-hammock", customer_id=OTHER_CUSTOMER_ID,
                        product_url="https://globex.example/hammock")
        m = self.medium(owner, self.when(), caption="Relaxing in the Globex hammock", streams=[s])
        c = self.category("hammocks", "Hammocks", customer_id=OTHER_CUSTOMER_ID)
        self.categorise(s, c)
        self.state.fixtures["other_customer"] = {"stream": s.id, "media": m.id, "category": c.id, "user": owner.id}

    def widgets(self, anvil: Stream) -> None:
        st = self.state
        carousel = WidgetStyle("731024", CUSTOMER_ID, "olapic_slidev3", "Product page carousel", {
            "help_link": True, "stream_link": "1", "stream_link_custom": f"{SHOP}/gallery", "img_size": "mobile",
            "photos_limit": "20", "slide_mode": "1", "slide_by": "1", "minInfinite": 0, "infinite": "0",
            "auto_play": "0", "interval": 0, "duration": 3000, "js_animation": "0"})
        button = WidgetStyle("731025", CUSTOMER_ID, "buttonv2", "Upload button",
                             {"help_link": True, "call_to_action": "upload"})
        st.widget_styles = {carousel.id: carousel, button.id: button}
        instance = WidgetInstance("a4c1f9e27b3d4e6f8a0b2c5d7e9f1a3b", CUSTOMER_ID, "PDP carousel - anvils",
                                  "best_photos", carousel.id, {
                                      "sorting": "recent", "mode": "production", "rights": "0", "precache": False,
                                      "disable_base_styles": False, "uploader_id": None, "enable_tagging": False,
                                      "stream": anvil.id})
        st.widgets = {instance.id: instance}
        st.fixtures["widget_instance"], st.fixtures["widget_style"] = instance.id, carousel.id


def seed(api_key: str) -> State:
    return _Seeder(api_key).seed()
