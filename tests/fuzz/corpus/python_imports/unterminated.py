import a \
    , b
x = """
import broken