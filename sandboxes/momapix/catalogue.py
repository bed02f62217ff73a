"""The seeded archive: deterministic (one `random.Random(SEED)`, fixed dates), the same after every reset.

User `client1` (a customer user, the service's account) owns one lightbox per product, whose
`description` is the product's tag key. Product lightboxes also hold what must never be shown:
private and trashed items, audio and text items.
"""
import hashlib
import random
from datetime import datetime, timedelta, timezone

from .store import Event, Item, Lightbox, State, User

SEED = 2241642
USERNAME, PASSWORD, NAME = "client1", "client1-sandbox-password", "Client One"
OTHER_USER = "client2"
FRACTIONAL_ID = "2241780.3"
FIRST_DAY = datetime(2019, 1, 1, tzinfo=timezone.utc)
DAYS = 2464  # up to 2025-09-30
EPOCH = datetime(2024, 2, 5, 9, 0, tzinfo=timezone.utc).timestamp()  # upload time of the seeded items

COUNT_FIXTURES = [0, 1, 100, 101, 250, 251, 520]

ANVIL = [  # title, caption, xsize, ysize (None: no sizes), archive
    ("Acme Anvil 50lb - studio", "The Acme Anvil 50lb on a white sweep, three-quarter view", 3300, 2200, "photo"),
    ("Acme Anvil 50lb - workshop", "Forged steel face and horn, in the Acme workshop", 2200, 3300, "photo"),
    ("Acme Anvil 50lb - detail", "Detail of the hardened face", 2000, 2000, "photo"),
    ("Acme Anvil 50lb - desert", "The 50lb anvil in the desert, ready for delivery", 4000, 2250, "photo"),
    ("Acme Anvil 50lb - scale", None, None, None, "photo"),  # no caption, no sizes
    ("Acme Anvil 50lb - unboxing", "Unboxing the Acme Anvil 50lb", 1920, 1080, "video"),
]
ANVIL_HIDDEN = [  # title, section, archive
    ("Acme Anvil 50lb - prototype (unreleased)", "private", "photo"),
    ("Acme Anvil 50lb - rejected shot", "trash", "photo"),
    ("Acme Anvil 50lb - jingle", "public", "audio"),
    ("Acme Anvil 50lb - press release", "public", "text"),
]

HOSTILE_CAPTIONS = [
    '<b>Bold</b> & <i>italic</i> "double" \'single\' &amp; &lt;escaped&gt;',
    '<script>alert("sandbox-xss")</script> Brand shoot',
    "<img src=x onerror=alert(1)>",
    '"><svg onload=alert(document.cookie)> {{7*7}} ${7*7}',
    "\u05d4\u05e1\u05d3\u05df \u05d4\u05d6\u05d4 Acme \u0647\u0630\u0627 \u0627\u0644\u0633\u0646\u062f\u0627\u0646 \u202eevil\u202c",
    "Line one\nLine two\r\n\tTabbed\u0000null and \u200bzero\u200bwidth",
    ("Acme anvils are the finest anvils money can buy. " * 41)[:2000],
]

SUBJECTS = ["anvil", "rocket skates", "giant magnet", "bird seed", "catapult", "instant hole", "jet motor",
            "spring shoes", "tornado kit", "iron carrot"]
SETTINGS = ["studio", "desert", "workshop", "canyon", "roadside", "warehouse", "catalogue page", "trade fair"]
SIZES = [(3300, 2200), (2200, 3300), (3000, 2012), (2107, 3000), (2048, 2048), (4000, 2250), (1500, 1000)]
MIME = {"photo": ("image/jpeg", "jpg"), "video": ("video/mp4", "mp4"), "audio": ("audio/mpeg", "mp3"),
        "text": ("text/plain", "txt")}


def file_key(item_id: str) -> str:
    """The opaque path key of an item's rendition files (no id in the URL)."""
    return hashlib.sha1(f"momapix-sandbox:{item_id}".encode()).hexdigest()[:16]


def day(n: int) -> str:
    return (FIRST_DAY + timedelta(days=n)).strftime("%Y-%m-%d")


class _Seeder:
    def __init__(self, password: str):
        self.password = password
        self.rng = random.Random(SEED)
        self.state = State()
        self.item_id = 2240000
        self.state.next_lightbox = 300
        self.state.next_event = 699000

    def event(self, title: str, date: str) -> Event:
        st = self.state
        st.next_event += 1
        e = Event(str(st.next_event), title, date)
        st.events[e.id] = e
        return e

    def lightbox(self, owner: str, description: str, items=(), lightbox_id=None) -> Lightbox:
        st = self.state
        if lightbox_id is None:
            st.next_lightbox += 1
            lightbox_id = str(st.next_lightbox)
        created = EPOCH - 86400 * (1000 - len(st.lightboxes))  # later lightboxes are newer
        lb = Lightbox(lightbox_id, owner, description, day(self.rng.randrange(DAYS)), created,
                      item_ids=[i.id for i in items])
        st.lightboxes[lb.id] = lb
        return lb

    def item(self, event: Event, title: str, caption=None, *, archive="photo", section="public", size=(),
             date=None, item_id=None) -> Item:
        rng = self.rng
        if item_id is None:
            self.item_id += 1
            item_id = str(self.item_id)
        if size == ():
            size = rng.choice(SIZES) if archive in ("photo", "video") else (None, None)
        if archive == "video" and size[0] is not None:
            size = (1920, 1080)
        mime, ext = MIME[archive]
        uploaded = EPOCH - rng.randrange(86400 * 365)
        it = Item(item_id, file_key(item_id), archive, mime, title, caption, date or day(rng.randrange(DAYS)),
                  uploaded, event.id, size[0], size[1], section=section, license=rng.choice(["RM", "RF", "CF"]),
                  file_name=f"{item_id}.{ext}", file_size=rng.randrange(200_000, 30_000_000), updated=uploaded)
        return self.state.add_item(it)

    def generic(self, event: Event, **kw) -> Item:
        rng = self.rng
        subject, setting = rng.choice(SUBJECTS), rng.choice(SETTINGS)
        return self.item(event, f"Acme {subject} - {setting}",
                         f"The Acme {subject} photographed in the {setting}", **kw)

    def seed(self) -> State:
        st, fx = self.state, self.state.fixtures
        st.users = {USERNAME: User(USERNAME, self.password, NAME, "customer"),
                    OTHER_USER: User(OTHER_USER, "client2-sandbox-password", "Client Two", "customer")}
        fx["products"], fx["hidden_media"] = {}, []

        # The demo product: brand photos, a video, one fractional id, one item without sizes,
        # and what must stay hidden.
        shoot = self.event("Acme Anvil 50lb brand shoot", "2024-01-15")
        visible = []
        for n, (title, caption, w, h, archive) in enumerate(ANVIL):
            item_id = FRACTIONAL_ID if n == 3 else None
            visible.append(self.item(shoot, title, caption, archive=archive, size=(w, h), item_id=item_id,
                                     date=day(1800 + n * 7)))
        hidden = [self.item(shoot, title, None, archive=archive, section=section, date=day(1900 + n))
                  for n, (title, section, archive) in enumerate(ANVIL_HIDDEN)]
        anvil = [visible[0], hidden[0], *visible[1:3], hidden[1], visible[3], hidden[2], *visible[4:], hidden[3]]
        self.product("acme-anvil-50lb", anvil, visible, hidden)
        fx["fractional_id"] = FRACTIONAL_ID
        fx["sizeless_media"] = [visible[4].id]
        fx["video_media"] = [visible[5].id]

        for n in COUNT_FIXTURES:
            event = self.event(f"Sandbox fixture: {n} media", day(2000 + n % 300))
            public = [self.generic(event) for _ in range(n)]
            hidden = []
            if n == 101:  # hidden items interleaved with the public ones, across page boundaries
                for section, archive in [("private", "photo"), ("trash", "photo"), ("private", "video"),
                                         ("public", "audio"), ("public", "text"), ("trash", "video")]:
                    hidden.append(self.generic(event, section=section, archive=archive))
                members = list(public)
                for k, h in enumerate(hidden):
                    members.insert(10 + 17 * k, h)
            else:
                members = public
            self.product(f"test-{n}-media", members, public, hidden)

        event = self.event("Sandbox fixture: hostile captions", "2023-06-01")
        hostile = [self.item(event, f"Hostile caption {k}", c) for k, c in enumerate(HOSTILE_CAPTIONS)]
        hostile.append(self.item(event, '<script>alert("title")</script>', None))  # falls back to the title
        self.product("test-hostile-media", hostile, hostile, [])
        fx["hostile_media"] = [i.id for i in hostile]

        event = self.event("Sandbox fixture: videos", "2023-07-01")
        videos = [self.generic(event, archive="video") for _ in range(4)]
        videos.append(self.generic(event, archive="video", size=(None, None)))
        self.product("test-video-media", videos, videos, [])
        fx["video_media"] += [i.id for i in videos]

        # The rest of the archive: events of items in no product lightbox.
        archive_items = []
        for k in range(8):
            event = self.event(f"Acme catalogue {2019 + k}", day(365 * k + 40))
            archive_items += [self.generic(event) for _ in range(20)]
        # Lightboxes that are not products: the document's "default", near misses of a tag key, a
        # description an MQL keyword cannot hold, and another user's lightbox for the same key.
        self.lightbox(USERNAME, "default", archive_items[:16], lightbox_id="15")
        fx["near_misses"] = [self.lightbox(USERNAME, d, archive_items[k:k + 3]).id for k, d in (
            (16, "acme-anvil-50lb-archive"), (19, "Acme Anvil 50lb shoot"), (22, "ACME-ANVIL-50LB"),
            (25, "trump meeting of 25-02-2019 10:46:00"))]
        fx["other_user_lightbox"] = self.lightbox(OTHER_USER, "acme-anvil-50lb", archive_items[28:33]).id
        st.next_item = max(self.item_id, 2241833) + 1
        return st

    def product(self, tag_key: str, members, public, hidden) -> None:
        lb = self.lightbox(USERNAME, tag_key, members)
        publishable = [i for i in public if i.section == "public" and i.archive in ("photo", "video")]
        self.state.fixtures["products"][tag_key] = {"id": lb.id, "media": len(publishable)}
        self.state.fixtures["hidden_media"] += [i.id for i in hidden]


def seed(password: str = PASSWORD) -> State:
    return _Seeder(password).seed()
