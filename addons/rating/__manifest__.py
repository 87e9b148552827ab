{
    "name": "Customer Rating",
    "version": "1.0",
    "summary": "Satisfaction surveys: a signed, expiring link, a 1-5 rating and a comment",
    "description": "Ask a customer to rate a document (a closed ticket): rating.rating "
                   "records, the rating.mixin for models that are rated, and the public page "
                   "/rate/<token> where the customer answers once with a score from 1 to 5 "
                   "and a comment.",
    "category": "Productivity",
    "license": "LGPL-3",
    "depends": ["mail"],
    "data": [
        "security/ir.model.access.csv",
        "security/rating_security.xml",
        "views/rating_rating_views.xml",
    ],
    "installable": True,
    "sequence": 45,
}
