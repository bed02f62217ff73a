"""The seeded catalogue: deterministic, the same on every start and after every reset."""
import random
import string
from datetime import datetime, timezone

from .store import Asset, Config, Folder, State, User

BASE = datetime(2026, 6, 1, tzinfo=timezone.utc).timestamp()  # seeded assets are dated before this
PRODUCTS_FOLDER, REVIEW_FOLDER, ARCHIVE_FOLDER = "90600", "90700", "90701"
REQUIRED_FIELD = "usageterms"  # the review folder's required metadata field
SIZES = (0, 1, 50, 51, 100, 101, 520)
SLASH_KEY = "acme/anvil 50lb gift set"
HOSTILE = [
    '<script>alert("acquia")</script>Anvil at dusk',
    "<img src=x onerror=alert(1)> forged in Ohio",
    "Anvil <b>bold</b> &amp; <a href=\"javascript:alert(1)\">link</a>",
    "🔨 Anvil 🔥 emoji caption ✨",
    "סדן ברזל כבד — right-to-left text",
    "Very long caption. " * 110,
    "\u202eevil override\u202c and a NUL-ish \x07 bell",
]
ACME_PHOTOS = [  # (name, description, width, height)
    ("Anvil 50lb - front", "The Acme 50lb anvil, front view on the workshop floor", 1600, 1200),
    ("Anvil 50lb - horn", "Close-up of the horn", 1200, 1600),
    ("Anvil 50lb - top", "Face and hardy hole from above", 1500, 1500),
    ("Anvil 50lb - in use", "A smith at work on the 50lb anvil", 2048, 1365),
    ("Anvil 50lb - packaging", "", 890, 748),
    ("Anvil 50lb - detail", "Ground face detail", 647, 433),
]


def seed(config: Config) -> State:
    st = State(config)
    rng = random.Random(4242)
    st.next_asset_id = 3456000
    seat = User("9750", config.username, "API Seat", "api-seat@acme.example", "API", "Seat")
    photographer = User("9751", "mlens", "Mara Lens", "mara.lens@acme.example", "Mara", "Lens")
    studio = User("9752", "forge", "Studio Forge", "studio@forge.example", "Studio", "Forge")
    for u in (seat, photographer, studio):
        st.users[u.id] = u
    st.seat_user_id = seat.id
    clock = iter(range(10**6))

    def when():  # strictly decreasing dates, so "datecreated desc" has no ties
        return BASE - 600 * next(clock)

    def folder(fid, name, parent=PRODUCTS_FOLDER, **kw):
        f = Folder(fid, parent, name, kw.pop("status", "active"), BASE - 400 * 86400, seat.id, **kw)
        st.folders[fid] = f
        return f

    def asset(f, kind="image", status="active", name=None, description="", size=(1200, 900), filetype="jpg",
              user=photographer, xmp=None):
        aid = st.new_asset_id()
        name = name or f"{f.name} {aid}"
        a = Asset(aid, f.id, status, kind, f"{_slug(name)}.{filetype}", name, description, filetype, when(),
                  user.id, _key(rng), width=size[0] if size else None, height=size[1] if size else None,
                  md_thumb=int(aid) % 2 == 0, xmp={"headline": name, **(xmp or {})})
        if f.clientfolderid:
            a.xmp.setdefault("customfield1", f.clientfolderid)
        if status == "onhold":
            a.requires = (REQUIRED_FIELD,)
        return st.add(a)

    folder(PRODUCTS_FOLDER, "Products", parent="0", properties={"ALBDISPLAYOWNERIMA": "1"})
    review = folder(REVIEW_FOLDER, "UGC inbox", parent="0", metadatatemplateid="2216",
                    required_fields=(REQUIRED_FIELD,), upload_status="inactive")
    archive = folder(ARCHIVE_FOLDER, "Archive", parent="0", status="inactive", clientfolderid="acme-anvil-5lb")
    hidden, videos, hostile, sizeless = [], [], [], []
    fid = iter(range(90601, 90700))

    acme = folder(str(next(fid)), "Acme Anvil - 50lb", clientfolderid="acme-anvil-50lb",
                  properties={"ALBWATERMARKPHOTOS": "0", "ALBEMAILHIRESDOWNLOAD": "1"})
    for name, description, w, h in ACME_PHOTOS:
        asset(acme, name=name, description=description, size=(w, h), xmp={"credit": "Mara Lens"})
    videos.append(asset(acme, "audiovideo", name="Anvil 50lb - ring test", filetype="mp4", size=(1920, 1080)).id)
    sizeless.append(asset(acme, name="Anvil 50lb - catalogue cut-out", filetype="png", size=None, user=studio).id)
    hidden += [asset(acme, status="inactive", name="Anvil 50lb - retired shot").id,
               asset(acme, status="onhold", name="Anvil 50lb - awaiting rights").id,
               asset(acme, "document", name="Anvil 50lb spec sheet", filetype="pdf", size=None).id,
               asset(acme, "presentation", name="Anvil 50lb sales deck", filetype="pptx", size=None).id]

    for n in SIZES:
        f = folder(str(next(fid)), f"Test {n} media", clientfolderid=f"test-{n}-media")
        for _ in range(n):
            asset(f, size=(1000 + int(st.next_asset_id) % 7 * 100, 800))

    mixed = folder(str(next(fid)), "Test mixed media", clientfolderid="test-mixed-media")
    for i in range(60):  # 20 publishable among 40 that must stay hidden, interleaved
        if i % 3 == 0:
            asset(mixed)
        else:
            kind, status, filetype = [("image", "inactive", "jpg"), ("image", "onhold", "jpg"),
                                      ("document", "active", "pdf"), ("other", "active", "zip")][i % 4]
            hidden.append(asset(mixed, kind, status, filetype=filetype, size=None if kind != "image" else (800, 600)).id)

    vids = folder(str(next(fid)), "Test video media", clientfolderid="test-video-media")
    for i, ft in enumerate(("mp4", "mov", "mp4")):
        videos.append(asset(vids, "audiovideo", filetype=ft, size=(1280, 720) if i != 2 else None).id)
    sizeless.append(videos[-1])
    asset(vids)

    bad = folder(str(next(fid)), "Test hostile media", clientfolderid="test-hostile-media")
    for i, text in enumerate(HOSTILE):
        hostile.append(asset(bad, name=text[:60], description=text, size=None if i == 3 else (900, 600),
                             user=studio).id)
    sizeless.append(hostile[3])

    gift = folder(str(next(fid)), "Acme gift set", clientfolderid=SLASH_KEY)
    for _ in range(3):
        asset(gift)

    for _ in range(2):  # older items archived with their (inactive) folder
        hidden.append(asset(archive).id)
    for i in range(2):  # shoppers' photos already waiting for review
        hidden.append(asset(review, status="onhold", user=seat, name=f"Shopper photo {i + 1}",
                            description="My anvil in the garden", xmp={"customfield1": "acme-anvil-50lb"}).id)

    acme_ids = [a.id for a in st.folder_assets(acme.id) if st.publishable(a)]
    st.lightboxes["12724"] = {"id": "12724", "name": "Summer picks", "description": "Brand favourites",
                              "project": "Summer", "user_id": seat.id, "asset_ids": acme_ids[:3]}
    st.fixtures = {"hidden": hidden, "videos": videos, "hostile": hostile, "sizeless": sizeless}
    return st


def _key(rng: random.Random) -> str:
    return "".join(rng.choice(string.ascii_letters + string.digits) for _ in range(10))


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in name)[:40].strip("_") or "asset"
