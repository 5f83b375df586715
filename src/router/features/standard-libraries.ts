/**
 * Module names each language ships with, used to tell standard-library imports from third-party
 * ones. Lists are the commonly imported modules, not exhaustive; an unknown module counts as
 * third-party. Go, Rust, Java and C++ are decided by shape (see `isStandardModule`).
 */
const PYTHON = new Set(
  (
    'abc argparse array ast asyncio base64 bisect builtins calendar cmath collections concurrent contextlib copy csv ctypes dataclasses datetime decimal difflib ' +
    'dis email enum errno fnmatch fractions functools gc getpass glob gzip hashlib heapq hmac html http importlib inspect io ipaddress itertools json keyword ' +
    'logging lzma math mimetypes multiprocessing numbers operator os pathlib pickle platform pprint queue random re sched secrets select shlex shutil signal ' +
    'socket sqlite3 ssl stat statistics string struct subprocess sys tarfile tempfile textwrap threading time timeit tkinter traceback types typing ' +
    'unicodedata unittest urllib uuid warnings weakref xml zipfile zlib zoneinfo __future__'
  ).split(' '),
);

const NODE = new Set(
  (
    'assert async_hooks buffer child_process cluster console constants crypto dgram dns events fs fs/promises http http2 https module net os path ' +
    'path/posix perf_hooks process punycode querystring readline repl stream stream/promises string_decoder timers timers/promises tls tty url util v8 vm worker_threads zlib test'
  ).split(' '),
);

export type ImportFamily = 'python' | 'javascript' | 'go' | 'rust' | 'java' | 'cpp';

export function isStandardModule(family: ImportFamily, module: string): boolean {
  switch (family) {
    case 'python':
      return PYTHON.has(module.split('.')[0]!);
    case 'javascript':
      return module.startsWith('node:') || NODE.has(module);
    case 'go':
      // Standard packages have no dot in their first path element (fmt, net/http, encoding/json).
      return !module.split('/')[0]!.includes('.');
    case 'rust':
      return /^(std|core|alloc|crate|self|super)(::|$)/.test(module);
    case 'java':
      return /^(java|javax|jdk)\./.test(module);
    case 'cpp':
      // <vector>, <cstdio>, <stdio.h>; a path or a quoted header is the project's or a library's.
      return !module.includes('/') && !module.startsWith('"');
  }
}
