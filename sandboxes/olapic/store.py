"""In-memory entities of the Olapic sandbox and the state a reset rebuilds."""
from collections import OrderedDict
from dataclasses import dataclass, field

from .images import RenditionCache


@dataclass(slots=True, eq=False)
class Customer:
    id: str
    name: str
    domain: str
    owner_user_id: str


@dataclass(slots=True, eq=False)
class User:
    id: str
    customer_id: str
    name: str
    username: str
    email: str | None
    avatar_url: str | None  # None: the sandbox serves a drawn one at /avatars/<id>.jpg
    # {"instagram": {"username", "source_id"}} / {"twitter": ...}; empty means no social connection.
    social: dict = field(default_factory=dict)
    instagram_followers: int = 0


@dataclass(slots=True, eq=False)
class Medium:
    id: str
    customer_id: str
    uploader_id: str
    key: str  # the image path key, e.g. "8wd7rd4"
    type: str  # IMAGE | VIDEO
    source: str
    source_id: str | None
    original_source: str | None
    caption: str
    date_submitted: float
    date_published: float | None
    width: int
    height: int
    status: str  # approved | pending | reported | rejected
    likes: int = 0
    photorank: float = 0.0
    ctr: float = 0.0
    rights: bool = False
    location: tuple | None = None
    stream_ids: list = field(default_factory=list)
    # Product images (stream base images) are media entities too, but never listed in a collection.
    listed: bool = True
    upload: bytes | None = None  # the uploaded file, for media that came in through the API
    upload_type: str | None = None  # "jpeg", "png", "gif", "webp", "mp4"


@dataclass(slots=True, eq=False)
class Stream:
    id: str
    customer_id: str
    name: str
    tag_key: str
    product_url: str | None
    # Olapic gallery status: OK (a product), TAG (a hashtag gallery) or INACTIVE.
    gallery_status: str
    # The reference's product status: available | unavailable | miscellaneous | discontinued.
    product_status: str
    description: str = ""
    product_info: dict = field(default_factory=dict)
    base_image_id: str | None = None
    shop_button_url: str | None = None
    share_url: str | None = None
    # media id -> position for media_position sorting (insertion order is tagging order).
    positions: dict = field(default_factory=dict)
    category_ids: list = field(default_factory=list)


@dataclass(slots=True, eq=False)
class Category:
    id: str
    customer_id: str
    key: str
    name: str
    product_url: str | None
    stream_ids: list = field(default_factory=list)


@dataclass(slots=True, eq=False)
class WidgetStyle:
    id: str
    customer_id: str
    type: str
    name: str
    fields: dict


@dataclass(slots=True, eq=False)
class WidgetInstance:
    id: str
    customer_id: str
    name: str
    type: str
    style_id: str
    settings: dict


@dataclass(slots=True, eq=False)
class Stash:
    id: str
    data: bytes
    kind: str
    created: float
    used: bool = False


class State:
    """Everything a reset throws away: entities, indexes, pagination snapshots, stashes."""

    def __init__(self, api_key: str):
        self.api_key = api_key
        self.customers: dict[str, Customer] = {}
        self.key_customer_id: str | None = None
        self.users: dict[str, User] = {}
        self.media: dict[str, Medium] = {}
        self.media_by_key: dict[str, Medium] = {}
        self.streams: dict[str, Stream] = {}
        self.categories: dict[str, Category] = {}
        self.widget_styles: dict[str, WidgetStyle] = {}
        self.widgets: dict[str, WidgetInstance] = {}
        self.stashes: dict[str, Stash] = {}
        self.snapshots: dict = {}
        self.orderings: OrderedDict = OrderedDict()  # see pagination.cached_order
        self.renditions = RenditionCache()
        self.fixtures: dict = {}
        self.next_media_id = 0
        self.next_user_id = 0
        # Bumped on every change that can alter a collection, so cached orderings stay honest.
        self.version = 0

    def __getstate__(self):  # a copy (see common.state.copies) starts with renditions of its own
        return {k: v for k, v in self.__dict__.items() if k != "renditions"}

    def __setstate__(self, values):
        self.__dict__.update(values, renditions=RenditionCache())

    def add_medium(self, m: Medium) -> Medium:
        self.media[m.id] = m
        self.media_by_key[m.key] = m
        return m

    def tag(self, m: Medium, stream: Stream) -> None:
        m.stream_ids.append(stream.id)
        stream.positions[m.id] = len(stream.positions)

    def stream_by_key(self, customer_id: str, tag_key: str) -> Stream | None:
        return self._streams_by_key.get((customer_id, tag_key))

    def category_by_key(self, customer_id: str, key: str) -> Category | None:
        return self._categories_by_key.get((customer_id, key))

    def user_by_email(self, customer_id: str, email: str) -> User | None:
        return self._users_by_email.get((customer_id, email.lower()))

    def user_by_instagram(self, customer_id: str, handle: str) -> User | None:
        return self._users_by_instagram.get((customer_id, handle.lower()))

    def index(self) -> None:
        """Build the lookup indexes once seeding is done (and after each new user)."""
        self._streams_by_key = {(s.customer_id, s.tag_key): s for s in self.streams.values()}
        self._categories_by_key = {(c.customer_id, c.key): c for c in self.categories.values()}
        self._users_by_email = {}
        self._users_by_instagram = {}
        for u in self.users.values():
            self.index_user(u)

    def index_user(self, u: User) -> None:
        if u.email:
            self._users_by_email[(u.customer_id, u.email.lower())] = u
        if "instagram" in u.social:
            self._users_by_instagram[(u.customer_id, u.social["instagram"]["username"].lower())] = u
