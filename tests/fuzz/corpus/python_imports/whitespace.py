if TYPE_CHECKING:
	import tabbed
import formfeed
import crlf
