from . import rating_mixin, rating_rating
