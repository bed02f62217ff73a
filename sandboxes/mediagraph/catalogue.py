"""The seeded organization: product collections, hidden assets of every kind, videos, hostile text,
the shoppers' contribution and its review workflow. Deterministic: the same on every start and reset."""
import random
import uuid
from datetime import datetime, timezone

from .store import Asset, AssetGroup, Contribution, State, User, WorkflowStep

EPOCH = datetime(2026, 5, 28, 12, 0, tzinfo=timezone.utc).timestamp()  # the newest seeded asset
HOUR = 3600.0
FIXTURE_SIZES = (0, 1, 10, 11, 50, 51, 520)
DEMO_KEY = "acme-anvil-50lb"
ODD_KEY = "odd key/../?x=1&y=#%2F é"  # a tag key no path or query may be built from by hand
HOSTILE_TEXTS = [
    "<b>Bold</b> claim & <i>markup</i>",
    "<script>alert('mg')</script>",
    '<img src=x onerror="alert(1)">',
    "Anvil 🔨🔥 emoji ✨",
    "سندان فولادي للحدادة",  # right-to-left text
    "Long " + "anvil " * 330,  # about 2,000 characters
]

TYPES = {"jpg": ("Image", "image/jpeg"), "png": ("Image", "image/png"), "mp4": ("Video", "video/mp4"),
         "txt": ("Text", "text/plain"), "pdf": ("Document", "application/pdf")}


class Seeder:
    def __init__(self, st: State):
        self.st = st
        self.rng = random.Random(1060943031)
        self.group_ids = iter(range(1_073_068_400, 1_073_069_400))
        self.asset_ids = iter(range(1_060_943_000, 1_060_949_999))

    def guid(self) -> str:
        return str(uuid.UUID(int=self.rng.getrandbits(128), version=4))

    def group(self, kind: str, name: str, parent: AssetGroup | None = None, description: str | None = None,
              slug: str | None = None) -> AssetGroup:
        gid = next(self.group_ids)
        g = AssetGroup(id=gid, type=kind, name=name, slug=slug or f"{gid}-{_slug(name)}", description=description,
                       parent_id=parent.id if parent else None, created_at=EPOCH - 400 * 86400,
                       position=sum(1 for x in self.st.groups.values() if x.parent_id == (parent.id if parent else None)))
        self.st.groups[gid] = g
        return g

    def asset(self, groups, folder: AssetGroup, age_hours: float, ext: str = "jpg", **kw) -> Asset:
        aid = next(self.asset_ids)
        kind, mime = TYPES[ext]
        guid = self.guid()
        portrait = self.rng.random() < 0.25
        size = (1600, 2000) if portrait else (2400, 1800)
        known = self.rng.random() < 0.7  # leave width/height null on some, as in the documents' samples
        a = Asset(id=aid, guid=guid, filename=kw.pop("filename", f"anvil-{aid % 100000}.{ext}"), type=kind, ext=ext,
                  mime_type=mime, created_at=EPOCH - age_hours * HOUR, user_id=kw.pop("user_id", self.photographer),
                  storage_folder_id=folder.id, width=size[0] if known else None, height=size[1] if known else None,
                  draw_size=size, file_size=self.rng.randint(400_000, 9_000_000),
                  rating=self.rng.choice([None, 0, 1, 2, 3, 4, 5]),
                  captured_at=EPOCH - age_hours * HOUR - 86400,
                  s3_upload_key=f"100/{guid[:8]}/{guid}.{ext}", **kw)
        if a.submitted and a.submitted_at is None:
            a.submitted_at = a.created_at + 600
        self.st.add_asset(a)
        for g in groups:
            g.assets[a.id] = len(g.assets)
        return a

    @property
    def photographer(self) -> int:
        return self.st.fixtures["photographer"]


def _slug(name: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in name.lower()).strip("-") or "collection"


def _shuffle_positions(g: AssetGroup, rng: random.Random) -> None:
    """The collection's manual order (sort=custom) differs from upload order, so the two can be told apart."""
    ids = list(g.assets)
    rng.shuffle(ids)
    g.assets = {aid: i for i, aid in enumerate(ids)}


def seed(options) -> State:
    st = State()
    sd = Seeder(st)
    service = User(1015822105, "Alex", "McDermott", "tashia", "alex.mcdermott@acme.example", EPOCH - 500 * 86400)
    photographer = User(1015819391, "Jina", "Leuschke", "josue", "jina.leuschke@acme.example", EPOCH - 450 * 86400)
    st.users = {service.id: service, photographer.id: photographer}
    st.service_user_id = service.id
    st.fixtures["photographer"] = photographer.id

    library = sd.group("StorageFolder", "Brand library")
    review = sd.group("StorageFolder", "UGC review")
    parent = sd.group("Collection", "Product galleries", description="One collection per product, named by its tag key")
    archive = sd.group("Collection", "Archive 2019")
    products: dict[str, AssetGroup] = {}

    def product(key: str) -> AssetGroup:
        g = sd.group("Collection", key, parent)
        products[key] = g
        return g

    for n in FIXTURE_SIZES:
        g = product(f"test-{n}-media")
        for i in range(n):
            sd.asset([g], library, age_hours=2 + i * 3 + n)
        _shuffle_positions(g, sd.rng)

    # The demo product: a handful of brand photos, a video, and one asset of every kind that must be hidden.
    demo = product(DEMO_KEY)
    sku_tag = {"id": 1051000001, "name": DEMO_KEY, "sku": "ACME-ANVIL-50LB", "gtin": "00012345678905"}
    brand = {"tags": [{"id": 1051000000, "name": "anvils", "sku": None, "gtin": None}, sku_tag],
             "custom_meta": {"SKU": "ACME-ANVIL-50LB"}}
    captions = [
        ("Acme Anvil, 50 lb, forged steel", "The 50 lb anvil on the workshop floor"),
        ("Horn detail", None),
        (None, "Anvil face with hammer"),
        ("Studio shot, grey backdrop", None),
        ("Acme Anvil in the field", "An anvil at the foot of a cliff"),
        ("Packaging and crate", None),
    ]
    for i, (description, alt_text) in enumerate(captions):
        sd.asset([demo], library, age_hours=1 + i * 5, description=description, alt_text=alt_text,
                 title=f"Acme Anvil 50lb #{i + 1}", credit_line="Acme Studio", **brand)
    video = sd.asset([demo], library, age_hours=4, ext="mp4", description="The anvil drop test, in slow motion",
                     **brand)
    hidden: dict[str, int] = {}
    hidden["processing"] = sd.asset([demo], library, 0.5, fixed_state="processing", description="still processing").id
    hidden["processing_error"] = sd.asset([demo], library, 0.6, fixed_state="processing_error").id
    hidden["pending"] = sd.asset([demo], library, 0.7, fixed_state="pending", submitted=False).id
    hidden["expired"] = sd.asset([demo], library, 8, expired=True, description="licence expired").id
    hidden["expires_at_past"] = sd.asset([demo], library, 9, expires_at=EPOCH - 86400,
                                         description="licence ran out yesterday").id
    hidden["trashed"] = sd.asset([demo], library, 10, trashed_at=EPOCH - HOUR, description="in the trash").id
    hidden["nsfw"] = sd.asset([demo], library, 11, nsfw_detected=True, description="flagged").id
    hidden["text"] = sd.asset([demo], library, 12, ext="txt", filename="specs.txt").id
    hidden["document"] = sd.asset([demo], library, 13, ext="pdf", filename="manual.pdf").id
    contribution = Contribution(id=1025838234, name="Shopper photos", slug="shopper-photos",
                                text="Photos from customers, reviewed before they go on a product page",
                                storage_folder_id=review.id, asset_group_id=None, auto_approve=False,
                                created_at=EPOCH - 300 * 86400)
    st.contributions[contribution.id] = contribution
    review.contribution_id = contribution.id
    hidden["unsubmitted_contribution"] = sd.asset(
        [demo], review, 14, submitted=False, contribution_id=contribution.id, description="not yet submitted").id
    outtakes = sd.group("Collection", "Outtakes", demo)
    hidden["child_collection"] = sd.asset([outtakes], library, 3, description="an outtake (child collection)").id
    _shuffle_positions(demo, sd.rng)

    # Decoys: a name that contains the key, the same name outside the parent, and other products' media.
    decoy_v2 = product(f"{DEMO_KEY}-v2")
    sd.asset([decoy_v2], library, 2, description="the v2 anvil (another product)")
    decoy_archive = sd.group("Collection", DEMO_KEY, archive)
    sd.asset([decoy_archive], library, 2, description="an archived anvil (outside the product galleries)")

    videos = product("test-video-media")
    video_ids = [video.id] + [sd.asset([videos], library, 2 + i, ext="mp4", description=f"Video {i + 1}").id
                              for i in range(3)]
    sd.asset([videos], library, 9, description="A still among the videos")
    hostile = product("test-hostile-media")
    hostile_ids = [sd.asset([hostile], library, 1 + i, description=text, title=text[:80], alt_text=text).id
                   for i, text in enumerate(HOSTILE_TEXTS)]
    odd = product(ODD_KEY)
    for i in range(2):
        sd.asset([odd], library, 3 + i, description="a product whose tag key needs escaping")

    workflow_id = 1014085959
    st.workflow = {"id": workflow_id, "name": "Shopper photo review"}
    for i, g in enumerate(products.values()):
        step = WorkflowStep(id=975327000 + i, workflow_id=workflow_id, name=f"Publish to {g.name}",
                            asset_group_id=g.id, position=i + 1)
        st.steps[step.id] = step

    st.fixtures.update({
        "parent": parent.id, "archive": archive.id, "library": library.id, "review_folder": review.id,
        "contribution": contribution.id, "products": {k: g.id for k, g in products.items()},
        "decoys": {"substring": decoy_v2.id, "outside_parent": decoy_archive.id, "child": outtakes.id},
        "hidden": hidden, "video_media": video_ids, "hostile_media": hostile_ids,
        "workflow": workflow_id, "demo_key": DEMO_KEY, "odd_key": ODD_KEY,
    })
    return st
