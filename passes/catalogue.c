/*
 * catalogue.c — the built-in tables of boundary calls, one per language.
 *
 * This file is data: which standard calls are non-deterministic or have
 * side effects, so that a resumed run must not repeat them.  Names are
 * canonical dotted names as link.c resolves them, whatever alias the user
 * imported them under.  A trailing ".*" matches exactly one more segment
 * ("random.*" is every function of the random module, not random.Random's
 * methods, nor the class itself: see not_boundaries).  Names in angle
 * brackets are value origins: a call whose result is tracked (open() gives
 * "<open>"), so that methods called on it later ("<open>.read") are
 * boundaries too.  docs/CATALOGUE.md is generated from
 * these tables (`currantc catalogue --markdown`).
 */
#include "currant.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define E(pattern, category, note)                                                                           \
  { pattern, category, CALL_PLAIN, note }
#define READ(pattern, category, note)                                                                        \
  { pattern, category, CALL_READ, note }
#define NEW(pattern, category, note)                                                                         \
  { pattern, category, CALL_NEW, note }

/* The methods of an openai client, the same in both languages. */
#define OPENAI_CLIENT_METHODS                                                                                \
  E("<openai.OpenAI>.chat.completions.create", "llm", "OpenAI model call"),                                  \
      E("<openai.OpenAI>.chat.completions.parse", "llm", "OpenAI model call"),                               \
      E("<openai.OpenAI>.beta.chat.completions.parse", "llm", "OpenAI model call"),                          \
      E("<openai.OpenAI>.responses.create", "llm", "OpenAI model call"),                                     \
      E("<openai.OpenAI>.responses.parse", "llm", "OpenAI model call"),                                      \
      E("<openai.OpenAI>.completions.create", "llm", "OpenAI model call"),                                   \
      E("<openai.OpenAI>.embeddings.create", "llm", "OpenAI embeddings"),                                    \
      E("<openai.OpenAI>.images.generate", "llm", "OpenAI image generation"),                                \
      E("<openai.OpenAI>.images.edit", "llm", "OpenAI image edit"),                                          \
      E("<openai.OpenAI>.moderations.create", "llm", "OpenAI moderation"),                                   \
      E("<openai.OpenAI>.audio.transcriptions.create", "llm", "OpenAI transcription"),                       \
      E("<openai.OpenAI>.audio.translations.create", "llm", "OpenAI translation"),

/* axios's request functions: of the module and of an instance from
 * axios.create() (a value origin). */
#define AXIOS_METHODS(base)                                                                                  \
  E(base ".request", "net", "HTTP request (axios)"), E(base ".get", "net", "HTTP request (axios)"),          \
      E(base ".delete", "net", "HTTP request (axios)"), E(base ".head", "net", "HTTP request (axios)"),      \
      E(base ".options", "net", "HTTP request (axios)"), E(base ".post", "net", "HTTP request (axios)"),     \
      E(base ".put", "net", "HTTP request (axios)"), E(base ".patch", "net", "HTTP request (axios)"),        \
      E(base ".postForm", "net", "HTTP request (axios)"), E(base ".putForm", "net", "HTTP request (axios)"), \
      E(base ".patchForm", "net", "HTTP request (axios)"),

static const CatEntry python_table[] = {
    /* currant's own std API: recorded by the runtime itself. */
    E("currant.sleep", "std", "durable sleep"),
    E("currant.now", "std", "recorded clock"),
    E("currant.random", "std", "recorded random number"),
    E("currant.uuid", "std", "recorded UUID"),
    E("currant.wait_event", "std", "waits for an event sent with `currant signal`"),
    E("currant.prompt", "std", "LLM prompt, journaled"),
    E("currant.poll", "std", "durable create-then-wait loop"),
    E("currant.sleep_async", "std", "durable sleep (coroutine)"),
    E("currant.wait_event_async", "std", "waits for an event (coroutine)"),
    E("currant.prompt_async", "std", "LLM prompt, journaled (coroutine)"),
    E("currant.poll_async", "std", "durable create-then-wait loop (coroutine)"),
    /* Clock. */
    E("time.time", "clock", "wall clock"),
    E("time.time_ns", "clock", "wall clock"),
    E("time.monotonic", "clock", "monotonic clock"),
    E("time.monotonic_ns", "clock", "monotonic clock"),
    E("time.perf_counter", "clock", "performance counter"),
    E("time.perf_counter_ns", "clock", "performance counter"),
    E("time.process_time", "clock", "CPU time"),
    E("time.localtime", "clock", "reads the clock when called without arguments"),
    E("time.gmtime", "clock", "reads the clock when called without arguments"),
    E("time.ctime", "clock", "reads the clock when called without arguments"),
    E("time.asctime", "clock", "reads the clock when called without arguments"),
    E("time.strftime", "clock", "reads the clock when called without a time tuple"),
    E("time.sleep", "sleep", "skipped on replay; one of 1 s or more resumes with what was left"),
    E("asyncio.sleep", "sleep", "awaited; skipped on replay; one of 1 s or more resumes with what was left"),
    E("datetime.datetime.now", "clock", "wall clock"),
    E("datetime.datetime.utcnow", "clock", "wall clock"),
    E("datetime.datetime.today", "clock", "wall clock"),
    E("datetime.date.today", "clock", "wall clock"),
    /* Randomness. */
    E("random.*", "random", "every function of the random module"),
    E("uuid.uuid1", "uuid", "time and host based UUID"),
    E("uuid.uuid4", "uuid", "random UUID"),
    E("os.urandom", "random", "OS randomness"),
    E("os.getrandom", "random", "OS randomness"),
    E("secrets.*", "random", "every function of the secrets module"),
    /* Environment and input. */
    E("os.getenv", "env", "environment variable"),
    E("os.environ.get", "env", "environment variable"),
    READ("os.environ", "env", "`os.environ[name]` read"),
    E("input", "input", "reads standard input"),
    /* Processes. */
    E("subprocess.run", "process", "runs a process"),
    E("subprocess.call", "process", "runs a process"),
    E("subprocess.check_call", "process", "runs a process"),
    E("subprocess.check_output", "process", "runs a process"),
    E("subprocess.Popen", "process", "starts a process"),
    E("subprocess.getoutput", "process", "runs a shell command"),
    E("subprocess.getstatusoutput", "process", "runs a shell command"),
    E("os.system", "process", "runs a shell command"),
    E("os.popen", "process", "runs a shell command"),
    E("os.getcwd", "env", "current directory"),
    E("os.getpid", "env", "process id"),
    E("socket.gethostname", "env", "host name"),
    E("platform.node", "env", "host name"),
    E("getpass.getuser", "env", "user name"),
    E("os.getlogin", "env", "user name"),
    E("shutil.which", "env", "program found on PATH"),
    /* Network. */
    E("urllib.request.urlopen", "net", "HTTP request"),
    /* requests, the HTTP client most Python code uses instead: its module
     * functions and the methods of a Session (a value origin, below). */
    E("requests.get", "net", "HTTP request (requests)"),
    E("requests.post", "net", "HTTP request (requests)"),
    E("requests.put", "net", "HTTP request (requests)"),
    E("requests.patch", "net", "HTTP request (requests)"),
    E("requests.delete", "net", "HTTP request (requests)"),
    E("requests.head", "net", "HTTP request (requests)"),
    E("requests.options", "net", "HTTP request (requests)"),
    E("requests.request", "net", "HTTP request (requests)"),
    E("<requests.Session>.get", "net", "HTTP request through a requests.Session"),
    E("<requests.Session>.post", "net", "HTTP request through a requests.Session"),
    E("<requests.Session>.put", "net", "HTTP request through a requests.Session"),
    E("<requests.Session>.patch", "net", "HTTP request through a requests.Session"),
    E("<requests.Session>.delete", "net", "HTTP request through a requests.Session"),
    E("<requests.Session>.head", "net", "HTTP request through a requests.Session"),
    E("<requests.Session>.options", "net", "HTTP request through a requests.Session"),
    E("<requests.Session>.request", "net", "HTTP request through a requests.Session"),
    /* httpx: its module functions and the methods of a Client or an
     * AsyncClient (value origins, below; an AsyncClient's are awaited). */
    E("httpx.get", "net", "HTTP request (httpx)"),
    E("httpx.post", "net", "HTTP request (httpx)"),
    E("httpx.put", "net", "HTTP request (httpx)"),
    E("httpx.patch", "net", "HTTP request (httpx)"),
    E("httpx.delete", "net", "HTTP request (httpx)"),
    E("httpx.head", "net", "HTTP request (httpx)"),
    E("httpx.options", "net", "HTTP request (httpx)"),
    E("httpx.request", "net", "HTTP request (httpx)"),
    E("<httpx.Client>.get", "net", "HTTP request through an httpx Client or AsyncClient"),
    E("<httpx.Client>.post", "net", "HTTP request through an httpx Client or AsyncClient"),
    E("<httpx.Client>.put", "net", "HTTP request through an httpx Client or AsyncClient"),
    E("<httpx.Client>.patch", "net", "HTTP request through an httpx Client or AsyncClient"),
    E("<httpx.Client>.delete", "net", "HTTP request through an httpx Client or AsyncClient"),
    E("<httpx.Client>.head", "net", "HTTP request through an httpx Client or AsyncClient"),
    E("<httpx.Client>.options", "net", "HTTP request through an httpx Client or AsyncClient"),
    E("<httpx.Client>.request", "net", "HTTP request through an httpx Client or AsyncClient"),
    E("<httpx.Client>.send", "net", "HTTP request through an httpx Client or AsyncClient"),
    /* LLM SDKs: a model call costs money and answers differently each
     * time, so a resumed run must get the recorded answer.  The methods of
     * a client (a value origin, below) and the openai module's own client;
     * the async clients have the same methods (coroutines, awaited). */
    OPENAI_CLIENT_METHODS E("openai.chat.completions.create", "llm", "OpenAI model call (module client)"),
    E("openai.responses.create", "llm", "OpenAI model call (module client)"),
    E("openai.completions.create", "llm", "OpenAI model call (module client)"),
    E("openai.embeddings.create", "llm", "OpenAI embeddings (module client)"),
    E("openai.images.generate", "llm", "OpenAI image generation (module client)"),
    E("openai.moderations.create", "llm", "OpenAI moderation (module client)"),
    E("<anthropic.Anthropic>.messages.create", "llm", "Anthropic model call"),
    E("<anthropic.Anthropic>.messages.count_tokens", "llm", "Anthropic token count"),
    E("<anthropic.Anthropic>.beta.messages.create", "llm", "Anthropic model call"),
    E("<anthropic.Anthropic>.completions.create", "llm", "Anthropic model call"),
    /* Email: what an SMTP client sends (the connection itself is made again
     * on replay, as a connect and a greeting), and the Message-ID and Date
     * headers email.utils makes from the clock, randomness and host name. */
    E("<smtplib.SMTP>.sendmail", "net", "sends an email"),
    E("<smtplib.SMTP>.send_message", "net", "sends an email"),
    E("email.utils.make_msgid", "uuid", "unique Message-ID (clock, random, host name)"),
    E("email.utils.formatdate", "clock", "current date (without an argument)"),
    E("email.utils.localtime", "clock", "current local time (without an argument)"),
    /* SQLite: the connection is made again on replay; each statement on it
     * is journaled and takes effect in the database once (runtime-py's
     * _database.py, docs/DATABASES.md).  commit() and rollback() always run. */
    E("sqlite3.connect", "database", "opens a SQLite database (made again on replay)"),
    E("<sqlite3.Connection>.execute", "database", "SQL statement, applied once"),
    E("<sqlite3.Connection>.executemany", "database", "SQL statement, applied once"),
    E("<sqlite3.Connection>.executescript", "database", "SQL script, applied once"),
    E("<sqlite3.Cursor>.execute", "database", "SQL statement, applied once"),
    E("<sqlite3.Cursor>.executemany", "database", "SQL statement, applied once"),
    E("<sqlite3.Cursor>.executescript", "database", "SQL script, applied once"),
    /* Files: open() and what is read or written through the file it returns. */
    E("open", "file", "opens a file"),
    E("io.open", "file", "opens a file"),
    E("<open>.read", "file", "read through a file from open()"),
    E("<open>.readline", "file", "read through a file from open()"),
    E("<open>.readlines", "file", "read through a file from open()"),
    E("<open>.write", "file", "write through a file from open()"),
    E("<open>.writelines", "file", "write through a file from open()"),
    E("os.listdir", "file", "directory listing"),
    E("os.scandir", "file", "directory listing"),
    E("os.walk", "file", "directory listing"),
    E("os.stat", "file", "file system state"),
    E("os.lstat", "file", "file system state"),
    E("os.access", "file", "file system state"),
    E("os.readlink", "file", "file system state"),
    E("os.path.lexists", "file", "file system state"),
    E("os.path.islink", "file", "file system state"),
    E("os.path.getatime", "file", "file system state"),
    E("os.path.getctime", "file", "file system state"),
    E("os.path.exists", "file", "file system state"),
    E("os.path.isfile", "file", "file system state"),
    E("os.path.isdir", "file", "file system state"),
    E("os.path.getsize", "file", "file system state"),
    E("os.path.getmtime", "file", "file system state"),
    E("os.mkdir", "file", "file system change"),
    E("os.makedirs", "file", "file system change"),
    E("os.remove", "file", "file system change"),
    E("os.unlink", "file", "file system change"),
    E("os.rmdir", "file", "file system change"),
    E("os.rename", "file", "file system change"),
    E("os.replace", "file", "file system change"),
    E("os.symlink", "file", "file system change"),
    E("os.link", "file", "file system change"),
    E("os.chmod", "file", "file system change"),
    E("os.utime", "file", "file system change"),
    E("os.truncate", "file", "file system change"),
    E("shutil.copy", "file", "file copy"),
    E("shutil.copy2", "file", "file copy"),
    E("shutil.copyfile", "file", "file copy"),
    E("shutil.copytree", "file", "directory copy"),
    E("shutil.move", "file", "file move"),
    E("shutil.rmtree", "file", "directory removal"),
    E("glob.glob", "file", "directory listing"),
    E("glob.iglob", "file", "directory listing"),
    E("tempfile.mkdtemp", "file", "creates a uniquely named directory"),
    E("tempfile.mkstemp", "file", "creates a uniquely named file"),
    E("tempfile.TemporaryDirectory", "file", "creates a uniquely named directory"),
    E("tempfile.NamedTemporaryFile", "file", "creates a uniquely named file"),
    E("pathlib.Path.cwd", "env", "current directory"),
    E("pathlib.Path.home", "env", "home directory"),
    E("<pathlib.Path>.read_text", "file", "file read"),
    E("<pathlib.Path>.read_bytes", "file", "file read"),
    E("<pathlib.Path>.write_text", "file", "file write"),
    E("<pathlib.Path>.write_bytes", "file", "file write"),
    E("<pathlib.Path>.open", "file", "opens a file"),
    E("<pathlib.Path>.exists", "file", "file system state"),
    E("<pathlib.Path>.is_file", "file", "file system state"),
    E("<pathlib.Path>.is_dir", "file", "file system state"),
    E("<pathlib.Path>.stat", "file", "file system state"),
    E("<pathlib.Path>.iterdir", "file", "directory listing"),
    E("<pathlib.Path>.glob", "file", "directory listing"),
    E("<pathlib.Path>.rglob", "file", "directory listing"),
    E("<pathlib.Path>.mkdir", "file", "file system change"),
    E("<pathlib.Path>.touch", "file", "file system change"),
    E("<pathlib.Path>.unlink", "file", "file system change"),
    E("<pathlib.Path>.rmdir", "file", "file system change"),
    E("<pathlib.Path>.rename", "file", "file system change"),
    E("<pathlib.Path>.replace", "file", "file system change"),
    E("<pathlib.Path>.is_symlink", "file", "file system state"),
    E("<pathlib.Path>.lstat", "file", "file system state"),
    E("<pathlib.Path>.readlink", "file", "file system state"),
    E("<pathlib.Path>.samefile", "file", "file system state"),
    E("<pathlib.Path>.owner", "file", "file system state"),
    E("<pathlib.Path>.group", "file", "file system state"),
    E("<pathlib.Path>.chmod", "file", "file system change"),
    E("<pathlib.Path>.symlink_to", "file", "file system change"),
    E("<pathlib.Path>.hardlink_to", "file", "file system change"),
    {NULL, NULL, CALL_PLAIN, NULL},
};

static const CatEntry javascript_table[] = {
    E("currant.sleep", "std", "durable sleep"),
    E("currant.now", "std", "recorded clock"),
    E("currant.random", "std", "recorded random number"),
    E("currant.uuid", "std", "recorded UUID"),
    E("currant.waitEvent", "std", "waits for an event sent with `currant signal`"),
    E("currant.prompt", "std", "LLM prompt, journaled"),
    E("currant.poll", "std", "durable create-then-wait loop"),
    /* Clock. */
    E("Date.now", "clock", "wall clock"),
    E("Date", "clock", "`Date()` called as a function returns the current time"),
    NEW("Date", "clock", "`new Date()` without arguments"),
    E("performance.now", "clock", "high-resolution clock"),
    E("perf_hooks.performance.now", "clock", "high-resolution clock"),
    E("process.hrtime", "clock", "high-resolution clock"),
    E("process.hrtime.bigint", "clock", "high-resolution clock"),
    E("process.uptime", "clock", "process clock"),
    E("timers.promises.setTimeout", "sleep", "sleeping is skipped on replay"),
    E("timers.promises.scheduler.wait", "sleep", "sleeping is skipped on replay"),
    E("os.uptime", "clock", "system uptime"),
    /* Randomness. */
    E("Math.random", "random", "pseudo-random number"),
    E("crypto.randomUUID", "uuid", "random UUID"),
    E("crypto.getRandomValues", "random", "random bytes"),
    E("crypto.randomBytes", "random", "random bytes"),
    E("crypto.randomInt", "random", "random integer"),
    E("crypto.randomFillSync", "random", "random bytes"),
    E("crypto.randomFill", "random", "random bytes (callback)"),
    E("crypto.webcrypto.getRandomValues", "random", "random bytes"),
    /* Environment and input. */
    READ("process.env", "env", "`process.env.NAME` / `process.env[name]` read"),
    E("process.cwd", "env", "current directory"),
    E("os.hostname", "env", "host name"),
    E("os.homedir", "env", "home directory"),
    E("os.userInfo", "env", "the current user"),
    E("readline.*", "input", "every function of readline"),
    E("readline.promises.*", "input", "every function of readline/promises"),
    E("<readline.Interface>.question", "input", "reads a line"),
    /* Network. */
    E("fetch", "net", "HTTP request"),
    E("http.request", "net", "HTTP request"),
    E("http.get", "net", "HTTP request"),
    E("https.request", "net", "HTTP request"),
    E("https.get", "net", "HTTP request"),
    E("axios", "net", "HTTP request (axios called with a config)"),
    AXIOS_METHODS("axios") E("<axios.Axios>", "net", "HTTP request (an axios instance called with a config)"),
    AXIOS_METHODS("<axios.Axios>")
    /* Email (the nodemailer package): what a transporter sends. */
    E("<nodemailer.Transporter>.sendMail", "net", "sends an email (nodemailer)"),
    /* LLM SDKs (the openai and @anthropic-ai/sdk packages): the methods
     * of a client made with `new` (a value origin, below). */
    OPENAI_CLIENT_METHODS E("<anthropic.Anthropic>.messages.create", "llm", "Anthropic model call"),
    E("<anthropic.Anthropic>.messages.countTokens", "llm", "Anthropic token count"),
    E("<anthropic.Anthropic>.beta.messages.create", "llm", "Anthropic model call"),
    E("<anthropic.Anthropic>.completions.create", "llm", "Anthropic model call"),
    /* Processes. */
    E("child_process.*", "process", "every function of child_process"),
    /* Files: every function of fs, sync, callback and promise flavours. */
    E("fs.*", "file", "every function of fs (sync and callback)"),
    E("fs.promises.*", "file", "every function of fs/promises"),
    E("<fs.FileHandle>.read", "file", "read through a FileHandle"),
    E("<fs.FileHandle>.readFile", "file", "read through a FileHandle"),
    E("<fs.FileHandle>.write", "file", "write through a FileHandle"),
    E("<fs.FileHandle>.writeFile", "file", "write through a FileHandle"),
    {NULL, NULL, CALL_PLAIN, NULL},
};

#undef OPENAI_CLIENT_METHODS
#undef AXIOS_METHODS
#undef E
#undef READ
#undef NEW

/* Value origins: calls whose results the names pass follows. */
typedef struct Origin {
  Lang lang;
  const char *canonical; /* the creating call */
  const char *origin;    /* the tag given to its result, or to each element it yields */
  bool elements;         /* origin is what iterating the result gives (`for p in d.glob("*")`) */
} Origin;

static const Origin origins[] = {
    {LANG_PYTHON, "open", "<open>", false},
    {LANG_PYTHON, "io.open", "<open>", false},
    {LANG_PYTHON, "<pathlib.Path>.open", "<open>", false},
    {LANG_PYTHON, "pathlib.Path", "<pathlib.Path>", false},
    {LANG_PYTHON, "pathlib.PosixPath", "<pathlib.Path>", false},
    {LANG_PYTHON, "pathlib.Path.cwd", "<pathlib.Path>", false},
    {LANG_PYTHON, "pathlib.Path.home", "<pathlib.Path>", false},
    /* a Path's methods that give another Path (its `parent` too: names_py.c) */
    {LANG_PYTHON, "<pathlib.Path>.joinpath", "<pathlib.Path>", false},
    {LANG_PYTHON, "<pathlib.Path>.with_name", "<pathlib.Path>", false},
    {LANG_PYTHON, "<pathlib.Path>.with_stem", "<pathlib.Path>", false},
    {LANG_PYTHON, "<pathlib.Path>.with_suffix", "<pathlib.Path>", false},
    {LANG_PYTHON, "<pathlib.Path>.relative_to", "<pathlib.Path>", false},
    {LANG_PYTHON, "<pathlib.Path>.absolute", "<pathlib.Path>", false},
    {LANG_PYTHON, "<pathlib.Path>.resolve", "<pathlib.Path>", false},
    {LANG_PYTHON, "<pathlib.Path>.expanduser", "<pathlib.Path>", false},
    /* and the ones that yield Paths */
    {LANG_PYTHON, "<pathlib.Path>.iterdir", "<pathlib.Path>", true},
    {LANG_PYTHON, "<pathlib.Path>.glob", "<pathlib.Path>", true},
    {LANG_PYTHON, "<pathlib.Path>.rglob", "<pathlib.Path>", true},
    {LANG_PYTHON, "requests.Session", "<requests.Session>", false},
    {LANG_PYTHON, "requests.session", "<requests.Session>", false},
    {LANG_PYTHON, "httpx.Client", "<httpx.Client>", false},
    {LANG_PYTHON, "httpx.AsyncClient", "<httpx.Client>", false},
    {LANG_PYTHON, "smtplib.SMTP", "<smtplib.SMTP>", false},
    {LANG_PYTHON, "smtplib.SMTP_SSL", "<smtplib.SMTP>", false},
    {LANG_PYTHON, "smtplib.LMTP", "<smtplib.SMTP>", false},
    {LANG_PYTHON, "sqlite3.connect", "<sqlite3.Connection>", false},
    {LANG_PYTHON, "sqlite3.Connection", "<sqlite3.Connection>", false},
    {LANG_PYTHON, "sqlite3.Cursor", "<sqlite3.Cursor>", false},
    {LANG_PYTHON, "<sqlite3.Connection>.cursor", "<sqlite3.Cursor>", false},
    {LANG_PYTHON, "<sqlite3.Connection>.execute", "<sqlite3.Cursor>", false},
    {LANG_PYTHON, "<sqlite3.Connection>.executemany", "<sqlite3.Cursor>", false},
    {LANG_PYTHON, "<sqlite3.Connection>.executescript", "<sqlite3.Cursor>", false},
    {LANG_PYTHON, "<sqlite3.Cursor>.execute", "<sqlite3.Cursor>", false},
    {LANG_PYTHON, "openai.OpenAI", "<openai.OpenAI>", false},
    {LANG_PYTHON, "openai.AsyncOpenAI", "<openai.OpenAI>", false},
    {LANG_PYTHON, "openai.AzureOpenAI", "<openai.OpenAI>", false},
    {LANG_PYTHON, "openai.AsyncAzureOpenAI", "<openai.OpenAI>", false},
    {LANG_PYTHON, "anthropic.Anthropic", "<anthropic.Anthropic>", false},
    {LANG_PYTHON, "anthropic.AsyncAnthropic", "<anthropic.Anthropic>", false},
    {LANG_JAVASCRIPT, "readline.createInterface", "<readline.Interface>", false},
    {LANG_JAVASCRIPT, "readline.promises.createInterface", "<readline.Interface>", false},
    {LANG_JAVASCRIPT, "fs.promises.open", "<fs.FileHandle>", false},
    /* the SDKs' client classes, as exported (default, named, CommonJS) */
    {LANG_JAVASCRIPT, "openai", "<openai.OpenAI>", false},
    {LANG_JAVASCRIPT, "openai.default", "<openai.OpenAI>", false},
    {LANG_JAVASCRIPT, "openai.OpenAI", "<openai.OpenAI>", false},
    {LANG_JAVASCRIPT, "openai.AzureOpenAI", "<openai.OpenAI>", false},
    {LANG_JAVASCRIPT, "@anthropic-ai.sdk", "<anthropic.Anthropic>", false},
    {LANG_JAVASCRIPT, "@anthropic-ai.sdk.default", "<anthropic.Anthropic>", false},
    {LANG_JAVASCRIPT, "@anthropic-ai.sdk.Anthropic", "<anthropic.Anthropic>", false},
    {LANG_JAVASCRIPT, "axios.create", "<axios.Axios>", false},
    {LANG_JAVASCRIPT, "nodemailer.createTransport", "<nodemailer.Transporter>", false},
    {LANG_JAVASCRIPT, "nodemailer.default.createTransport", "<nodemailer.Transporter>", false},
};

/* Names a ".*" entry would match that are not boundaries: the generator
 * classes.  Making one draws nothing (random.Random(42) is as deterministic
 * as its seed), and what it returns is a live object the journal cannot
 * record; the draws are its methods', which the catalogue leaves alone. */
static const char *const not_boundaries[] = {"random.Random", "random.SystemRandom", "secrets.SystemRandom"};

static bool is_excluded(const char *canonical) {
  for (size_t i = 0; i < sizeof not_boundaries / sizeof *not_boundaries; i++)
    if (strcmp(not_boundaries[i], canonical) == 0) return true;
  return false;
}

const CatEntry *cat_table(Lang lang) { return lang == LANG_PYTHON ? python_table : javascript_table; }

/* Sorted copies of the tables for binary search: the boundaries pass looks
 * up every call of the codebase, hundreds of thousands on a large tree. */
static const CatEntry **sorted[LANG_COUNT];
static int sorted_len[LANG_COUNT];
static pthread_once_t sorted_once = PTHREAD_ONCE_INIT;

static int cmp_entry(const void *a, const void *b) {
  const CatEntry *x = *(const CatEntry *const *)a, *y = *(const CatEntry *const *)b;
  int c = strcmp(x->pattern, y->pattern);
  return c ? c : (int)x->form - (int)y->form;
}

static void sort_tables(void) {
  for (int l = 0; l < LANG_COUNT; l++) {
    const CatEntry *t = cat_table((Lang)l);
    int n = 0;
    while (t[n].pattern) n++;
    sorted[l] = xcalloc((size_t)n, sizeof *sorted[l]);
    for (int i = 0; i < n; i++) sorted[l][i] = &t[i];
    qsort(sorted[l], (size_t)n, sizeof *sorted[l], cmp_entry);
    sorted_len[l] = n;
  }
}

static const CatEntry *find_exact(Lang lang, const char *name, CallForm form) {
  CatEntry key = {name, NULL, form, NULL};
  const CatEntry *kp = &key;
  const CatEntry **hit =
      bsearch(&kp, sorted[lang], (size_t)sorted_len[lang], sizeof *sorted[lang], cmp_entry);
  return hit ? *hit : NULL;
}

const CatEntry *cat_lookup(Lang lang, const char *canonical, CallForm form) {
  pthread_once(&sorted_once, sort_tables);
  if (form == CALL_TAGGED) form = CALL_PLAIN;
  const CatEntry *e = find_exact(lang, canonical, form);
  if (e) return e;
  const char *dot = strrchr(canonical, '.');
  if (!dot || form == CALL_READ || (lang == LANG_PYTHON && is_excluded(canonical))) return NULL;
  char *wild = xasprintf("%.*s.*", (int)(dot - canonical), canonical);
  e = find_exact(lang, wild, form);
  free(wild);
  return e;
}

bool cat_covers_module(Lang lang, const char *module, size_t len) {
  for (const CatEntry *e = cat_table(lang); e->pattern; e++)
    if (strncmp(e->pattern, module, len) == 0 && e->pattern[len] == '.') return true;
  return false;
}

static const char *find_origin(Lang lang, const char *canonical, bool elements) {
  if (!canonical) return NULL;
  for (size_t i = 0; i < sizeof origins / sizeof *origins; i++)
    if (origins[i].lang == lang && origins[i].elements == elements &&
        strcmp(origins[i].canonical, canonical) == 0)
      return origins[i].origin;
  return NULL;
}

const char *cat_origin(Lang lang, const char *canonical) { return find_origin(lang, canonical, false); }

const char *cat_element_origin(Lang lang, const char *canonical) {
  return find_origin(lang, canonical, true);
}

const CatEntry *cat_member(Lang lang, const char *tail, const CatEntry *after) {
  for (const CatEntry *e = after ? after + 1 : cat_table(lang); e->pattern; e++) {
    const char *end = e->pattern[0] == '<' ? strchr(e->pattern, '>') : NULL;
    if (end && end[1] == '.' && strcmp(end + 2, tail) == 0) return e;
  }
  return NULL;
}
