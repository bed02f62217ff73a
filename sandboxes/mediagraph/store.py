"""In-memory entities of the Mediagraph sandbox, and the one object that holds them all."""
from dataclasses import dataclass, field

from .images import FileCache

# Seconds of sandbox clock an asset spends in each state after set_uploaded (uploaded, then processing).
UPLOADED_SECONDS = 1.0


@dataclass(slots=True, eq=False)
class User:
    id: int
    first_name: str
    last_name: str
    username: str
    email: str
    created_at: float


@dataclass(slots=True, eq=False)
class AssetGroup:
    """A Collection or a StorageFolder (Mediagraph's asset groups)."""
    id: int
    type: str  # Collection | StorageFolder
    name: str
    slug: str
    description: str | None
    parent_id: int | None
    created_at: float
    position: int = 0
    # asset id -> manual position (the "custom" sort), in insertion order.
    assets: dict = field(default_factory=dict)
    contribution_id: int | None = None


@dataclass(slots=True, eq=False)
class Asset:
    id: int
    guid: str
    filename: str
    type: str  # Image | Video | Text | Document
    ext: str
    mime_type: str
    created_at: float
    user_id: int
    storage_folder_id: int
    width: int | None  # None: unknown (as in the documents' samples)
    height: int | None
    # The picture drawn for seeded assets (its real size, even when width/height above are unknown).
    draw_size: tuple = (2400, 1800)
    file_size: int | None = None
    description: str | None = None
    alt_text: str | None = None
    title: str | None = None
    headline: str | None = None
    credit_line: str | None = None
    rating: int | None = None
    nsfw_detected: bool = False
    expired: bool = False
    expires_at: float | None = None
    trashed_at: float | None = None
    submitted: bool = True
    submitted_at: float | None = None
    captured_at: float | None = None
    rights_status: str = "owned"
    tags: list = field(default_factory=list)  # [{"id", "name", "sku", "gtin"}]
    custom_meta: dict = field(default_factory=dict)  # field name -> value
    upload_id: int | None = None
    contribution_id: int | None = None
    created_via: str | None = None
    created_via_id: str | None = None
    # The processing lifecycle. Seeded assets have a fixed state; uploaded ones advance on the clock.
    fixed_state: str | None = "processed"
    uploaded_at: float | None = None  # set_uploaded called
    processing_seconds: float = 5.0
    data: bytes | None = None  # bytes PUT to the signed upload URL
    data_kind: str | None = None
    fail_processing: bool = False  # an operator's: processing ends in processing_error whatever the bytes
    s3_upload_key: str = ""
    updated_at: float = 0.0

    def state(self, now: float) -> str:
        if self.fixed_state is not None:
            return self.fixed_state
        if self.uploaded_at is None:
            return "pending"
        elapsed = now - self.uploaded_at
        if elapsed < UPLOADED_SECONDS:
            return "uploaded"
        if elapsed < UPLOADED_SECONDS + self.processing_seconds:
            return "processing"
        readable = self.data_kind in ("jpeg", "png", "gif", "webp", "mp4") and not self.fail_processing
        return "processed" if readable else "processing_error"


@dataclass(slots=True, eq=False)
class Contribution:
    id: int
    name: str
    slug: str
    text: str
    storage_folder_id: int
    asset_group_id: int | None
    auto_approve: bool
    created_at: float
    enabled: bool = True


@dataclass(slots=True, eq=False)
class Upload:
    id: int
    guid: str
    name: str | None
    note: str | None
    contribution_id: int | None
    storage_folder_id: int
    user_id: int
    created_at: float
    done: bool = False
    asset_ids: list = field(default_factory=list)


@dataclass(slots=True, eq=False)
class WorkflowStep:
    id: int
    workflow_id: int
    name: str
    asset_group_id: int
    position: int


@dataclass(slots=True, eq=False)
class Webhook:
    id: int
    name: str
    url: str
    events: list
    asset_group_id: int | None
    enabled: bool
    created_at: float
    note: str | None = None


@dataclass(slots=True, eq=False)
class Download:
    token: str
    asset_ids: list
    size: str
    created: float


class State:
    """Everything a reset throws away."""

    def __init__(self):
        self.users: dict[int, User] = {}
        self.groups: dict[int, AssetGroup] = {}
        self.assets: dict[int, Asset] = {}
        self.assets_by_guid: dict[str, Asset] = {}
        self.contributions: dict[int, Contribution] = {}
        self.uploads: dict[int, Upload] = {}
        self.uploads_by_guid: dict[str, Upload] = {}
        self.workflow: dict = {}
        self.steps: dict[int, WorkflowStep] = {}
        self.webhooks: dict[int, Webhook] = {}
        self.deliveries: list[dict] = []  # would-be webhook deliveries, oldest first
        self.downloads: dict[str, Download] = {}
        self.rejected: set = set()  # asset ids an operator rejected
        self.comments: list[dict] = []
        self.files = FileCache()
        self.fixtures: dict = {}
        self.service_user_id = 0
        self.pat_disabled_note: str | None = None
        self._next_id = 1_060_950_000

    def next_id(self) -> int:
        self._next_id += 1
        return self._next_id

    def add_asset(self, a: Asset) -> Asset:
        self.assets[a.id] = a
        self.assets_by_guid[a.guid] = a
        return a

    def asset(self, ref: str) -> Asset | None:
        """By id or GUID ("ID can also be the Asset GUID")."""
        if ref.isdigit():
            return self.assets.get(int(ref))
        return self.assets_by_guid.get(ref)

    def collections(self):
        return [g for g in self.groups.values() if g.type == "Collection"]

    def descendants(self, group_id: int) -> list[int]:
        out, frontier = [], [group_id]
        while frontier:
            children = [g.id for g in self.groups.values() if g.parent_id in frontier]
            out += children
            frontier = children
        return out

    def collections_of(self, a: Asset) -> list[AssetGroup]:
        return [g for g in self.collections() if a.id in g.assets]

