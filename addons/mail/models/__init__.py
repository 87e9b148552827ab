# isort: skip_file
# Order matters: a model is defined before the extensions of it (mail.thread
# before mail_thread_post and mail_thread_gateway), and the registry adds
# classes in import order.
from . import mail_message_subtype
from . import mail_activity_type
from . import mail_message
from . import mail_notification
from . import mail_followers
from . import mail_tracking_value
from . import mail_thread
from . import mail_thread_post
from . import mail_thread_gateway
from . import mail_activity
from . import mail_activity_mixin
from . import mail_template
from . import ir_mail_server
from . import mail_mail
from . import mail_blacklist
from . import mail_alias
from . import res_partner
from . import res_users
from . import discuss_channel
