#include "browse/browse_screen.hpp"

#include <langinfo.h>
#include <ncurses.h>
#include <unistd.h>

#include <clocale>
#include <cstdio>
#include <cstring>
#include <string>

#include "util/error.hpp"

namespace pkgsizer::browse {
namespace {

// UTF-8 bars and arrows only where the locale says the terminal takes UTF-8 (LANG, LC_ALL);
// ncurses needs setlocale for its own output of multibyte text too.
bool locale_is_utf8() {
  std::setlocale(LC_ALL, "");
  const char* codeset = nl_langinfo(CODESET);
  return codeset != nullptr &&
         (std::strcmp(codeset, "UTF-8") == 0 || std::strcmp(codeset, "utf8") == 0);
}

// Ends curses mode on every way out, exceptions included: the terminal must not stay raw.
class CursesSession {
 public:
  // On a stream of its own on file descriptor 1: stdout may be a filtering stream without a
  // file descriptor (cli/ascii_output.hpp), which curses cannot drive.
  CursesSession() : out_(fdopen(dup(STDOUT_FILENO), "w")) {
    if (out_ == nullptr) throw Error(ErrorCategory::kOutput, "browse: cannot open the terminal");
    screen_ = newterm(nullptr, out_, stdin);
    if (screen_ == nullptr) {
      std::fclose(out_);
      throw Error(ErrorCategory::kUsage,
                  "browse: the terminal type (TERM) is unknown to the terminfo database");
    }
    set_term(screen_);
    cbreak();
    noecho();
    keypad(stdscr, TRUE);
    curs_set(0);
    set_escdelay(25);  // Esc on its own is a key here (leaving the search), not a sequence start
  }
  ~CursesSession() {
    endwin();
    delscreen(screen_);
    std::fclose(out_);
  }
  CursesSession(const CursesSession&) = delete;
  CursesSession& operator=(const CursesSession&) = delete;

 private:
  FILE* out_;
  SCREEN* screen_ = nullptr;
};

void draw_lines(const std::vector<std::string>& lines, std::size_t highlighted) {
  erase();
  const int height = getmaxy(stdscr);
  for (std::size_t i = 0; i < lines.size() && static_cast<int>(i) < height; ++i) {
    const bool strong = i == 0 || (highlighted != 0 && i == highlighted);
    if (strong) attron(A_REVERSE);
    mvaddstr(static_cast<int>(i), 0, lines[i].c_str());
    if (strong) {
      // The highlight spans the whole line.
      for (int x = getcurx(stdscr); x < getmaxx(stdscr) && getcury(stdscr) == static_cast<int>(i);
           ++x)
        addch(' ');
      attroff(A_REVERSE);
    }
  }
  refresh();
}

// A page of text (help, why) until a key.
std::size_t screen_rows() { return static_cast<std::size_t>(std::max(getmaxy(stdscr), 1)); }
std::size_t screen_columns() { return static_cast<std::size_t>(std::max(getmaxx(stdscr), 1)); }

void show_page(const std::vector<std::string>& text, bool utf8) {
  for (;;) {
    draw_lines(render_page(text, screen_columns(), screen_rows(), utf8), 0);
    if (getch() != KEY_RESIZE) return;  // a resize redraws the page, any other key leaves it
  }
}

// Reads a search text on the status line; Enter keeps it, Esc clears it. The rows filter as
// it is typed.
void read_search(BrowserState& state, bool utf8) {
  std::string text;
  for (;;) {
    state.set_search(text);
    const ScreenText screen =
        render_screen(state, screen_columns(), screen_rows(), utf8, "/" + text);
    draw_lines(screen.lines, screen.selected_line);
    const int key = getch();
    if (key == '\n' || key == KEY_ENTER) return;
    if (key == 27) {
      state.set_search({});
      return;
    }
    if (key == KEY_BACKSPACE || key == 127 || key == 8) {
      // Drop one UTF-8 character.
      while (!text.empty() && (static_cast<unsigned char>(text.back()) & 0xC0) == 0x80)
        text.pop_back();
      if (!text.empty()) text.pop_back();
    } else if (key >= 32 && key < 256 && key != 127) {
      text += static_cast<char>(key);
    }
  }
}

}  // namespace

void run_browser(BrowserState& state,
                 const std::function<std::optional<Scan>()>& load_module_trees) {
  if (isatty(STDIN_FILENO) == 0 || isatty(STDOUT_FILENO) == 0)
    throw Error(
        ErrorCategory::kUsage,
        "browse needs a terminal (stdin and stdout); for a file use scan-env --html or --json");
  const bool utf8 = locale_is_utf8();
  CursesSession session;
  for (;;) {
    const std::size_t rows = screen_rows();
    const ScreenText screen = render_screen(state, screen_columns(), rows, utf8);
    draw_lines(screen.lines, screen.selected_line);
    const long page = rows > 4 ? static_cast<long>(rows - 4) : 1;
    switch (const int key = getch()) {
      case 'q':
      case 'Q':
        return;
      case KEY_UP:
      case 'k':
        state.move(-1);
        break;
      case KEY_DOWN:
      case 'j':
        state.move(1);
        break;
      case KEY_PPAGE:
        state.move(-page);
        break;
      case KEY_NPAGE:
        state.move(page);
        break;
      case KEY_HOME:
        state.move_to(0);
        break;
      case KEY_END:
        state.move_to(state.entries().empty() ? 0 : state.entries().size() - 1);
        break;
      case '\n':
      case KEY_ENTER:
      case KEY_RIGHT:
      case 'l':
        if (state.depth() == 0 && !state.module_trees_attached()) {
          draw_lines(render_screen(state, screen_columns(), rows, utf8,
                                   "reading the packages and modules of every distribution…")
                         .lines,
                     0);
          if (const std::optional<Scan> with_trees = load_module_trees())
            state.attach_module_trees(*with_trees);
        }
        if (!state.descend()) beep();
        break;
      case KEY_BACKSPACE:
      case 127:
      case 8:
      case KEY_LEFT:
      case 'h':
        if (!state.ascend()) beep();
        break;
      case 's':
        state.cycle_sort();
        break;
      case 'd':
        state.toggle_disk();
        break;
      case 'w':
        show_page(state.why_lines(utf8), utf8);
        break;
      case '/':
        read_search(state, utf8);
        break;
      case '?':
        show_page(help_lines(), utf8);
        break;
      default:
        (void)key;  // KEY_RESIZE included: the loop redraws at the new size
        break;
    }
  }
}

}  // namespace pkgsizer::browse
