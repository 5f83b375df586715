import type { SeededRandom } from '../../src/sim/hash-text.js';

/**
 * Prompt text for the generated workload: an instruction for the task kind, then code in the
 * language with real-looking imports and nested control flow (and a manifest for system-level
 * tasks). The features a router reads (imports, nesting, length, task kind) come from the same
 * knobs that set the hidden difficulty, but nothing in the text states the difficulty.
 */

export const LANGUAGES = ['python', 'typescript', 'go', 'rust', 'java'] as const;
export type Language = (typeof LANGUAGES)[number];
export const TASK_KINDS = [
  'naming',
  'docstring',
  'test-stub',
  'completion',
  'refactor',
  'bug-fix',
  'algorithm',
  'system-level',
] as const;
export type TaskKind = (typeof TASK_KINDS)[number];

export interface PromptShape {
  language: Language;
  kind: TaskKind;
  standardImports: number;
  externalImports: number;
  /** Nesting depth of the function body (1 = flat). */
  nesting: number;
  /** Statements per block. */
  width: number;
  topic: string;
}

const IMPORTS: Record<Language, { standard: string[]; external: string[] }> = {
  python: {
    standard: [
      'import os',
      'import json',
      'import re',
      'from collections import defaultdict',
      'from pathlib import Path',
      'import itertools',
      'from typing import Iterable',
    ],
    external: [
      'import requests',
      'import numpy as np',
      'import pandas as pd',
      'from sqlalchemy import select',
      'import boto3',
      'from fastapi import FastAPI',
      'import redis',
    ],
  },
  typescript: {
    standard: [
      "import { readFile } from 'node:fs/promises';",
      "import path from 'node:path';",
      "import { createHash } from 'node:crypto';",
      "import { EventEmitter } from 'node:events';",
      "import { setTimeout as sleep } from 'node:timers/promises';",
    ],
    external: [
      "import express from 'express';",
      "import { z } from 'zod';",
      "import axios from 'axios';",
      "import { PrismaClient } from '@prisma/client';",
      "import Redis from 'ioredis';",
      "import pino from 'pino';",
    ],
  },
  go: {
    standard: ['"fmt"', '"strings"', '"sort"', '"os"', '"context"', '"time"', '"sync"'],
    external: [
      '"github.com/gin-gonic/gin"',
      '"github.com/jackc/pgx/v5"',
      '"go.uber.org/zap"',
      '"github.com/redis/go-redis/v9"',
      '"google.golang.org/grpc"',
    ],
  },
  rust: {
    standard: [
      'use std::collections::HashMap;',
      'use std::fs;',
      'use std::io::{self, BufRead};',
      'use std::sync::Arc;',
      'use std::time::Duration;',
    ],
    external: [
      'use serde::{Deserialize, Serialize};',
      'use tokio::sync::Mutex;',
      'use reqwest::Client;',
      'use sqlx::PgPool;',
      'use anyhow::Result;',
    ],
  },
  java: {
    standard: [
      'import java.util.*;',
      'import java.util.stream.Collectors;',
      'import java.io.IOException;',
      'import java.nio.file.Files;',
      'import java.util.concurrent.CompletableFuture;',
    ],
    external: [
      'import org.springframework.web.bind.annotation.*;',
      'import com.fasterxml.jackson.databind.ObjectMapper;',
      'import org.apache.kafka.clients.producer.KafkaProducer;',
      'import redis.clients.jedis.Jedis;',
      'import org.slf4j.Logger;',
    ],
  },
};

export const TOPICS = [
  'orders',
  'invoices',
  'sessions',
  'events',
  'users',
  'metrics',
  'payments',
  'shipments',
  'tickets',
  'builds',
];

function camel(words: string[]): string {
  return words
    .map((word, index) => (index === 0 ? word : word[0]!.toUpperCase() + word.slice(1)))
    .join('');
}

/** A function whose body nests `depth` blocks (loop, condition, loop…), `width` statements each. */
function functionCode(shape: PromptShape, random: SeededRandom, name: string): string {
  const item = shape.topic.replace(/s$/, '');
  const lines: string[] = [];
  const indentUnit = shape.language === 'go' ? '\t' : shape.language === 'python' ? '    ' : '  ';
  const statement = (indent: string, step: number): string => {
    const field = random.pick(['total', 'count', 'status', 'amount', 'retries', 'size']);
    switch (shape.language) {
      case 'python':
        return `${indent}${field}_${step} = ${item}.get("${field}", 0) + ${step}`;
      case 'typescript':
        return `${indent}const ${field}${step} = (${item}.${field} ?? 0) + ${step};`;
      case 'go':
        return `${indent}${field}${step} := ${item}.${field[0]!.toUpperCase()}${field.slice(1)} + ${step}`;
      case 'rust':
        return `${indent}let ${field}_${step} = ${item}.${field} + ${step};`;
      case 'java':
        return `${indent}int ${field}${step} = ${item}.get${field[0]!.toUpperCase()}${field.slice(1)}() + ${step};`;
    }
  };
  const setup = (indent: string, step: number): string => {
    switch (shape.language) {
      case 'python':
        return `${indent}seen_${step} = set()`;
      case 'typescript':
        return `${indent}const seen${step} = new Set<string>();`;
      case 'go':
        return `${indent}seen${step} := map[string]bool{}`;
      case 'rust':
        return `${indent}let mut seen_${step} = HashSet::new();`;
      case 'java':
        return `${indent}var seen${step} = new HashSet<String>();`;
    }
  };
  const open = (level: number, indent: string): string => {
    const loop = level % 2 === 0;
    const collection = level === 0 ? shape.topic : `${item}.children`;
    switch (shape.language) {
      case 'python':
        return loop
          ? `${indent}for ${item} in ${collection}:`
          : `${indent}if ${item}.get("active"):`;
      case 'typescript':
        return loop
          ? `${indent}for (const ${item} of ${collection}) {`
          : `${indent}if (${item}.active) {`;
      case 'go':
        return loop
          ? `${indent}for _, ${item} := range ${collection} {`
          : `${indent}if ${item}.Active {`;
      case 'rust':
        return loop
          ? `${indent}for ${item} in ${collection}.iter() {`
          : `${indent}if ${item}.active {`;
      case 'java':
        return loop
          ? `${indent}for (var ${item} : ${collection}) {`
          : `${indent}if (${item}.isActive()) {`;
    }
  };
  const signature: Record<Language, string> = {
    python: `def ${name}(${shape.topic}, limit=100):`,
    typescript: `export function ${name}(${shape.topic}: Array<Record<string, any>>, limit = 100): number {`,
    go: `func ${name}(${shape.topic} []Record, limit int) int {`,
    rust: `pub fn ${name}(${shape.topic}: &[Record], limit: usize) -> usize {`,
    java: `public static int ${name}(List<Record> ${shape.topic}, int limit) {`,
  };
  lines.push(signature[shape.language]);
  const indent = (depth: number): string => indentUnit.repeat(depth);
  const blocks = shape.nesting - 1;
  for (let step = 0; step < shape.width; step++) lines.push(setup(indent(1), step));
  for (let level = 0; level < blocks; level++) {
    lines.push(open(level, indent(level + 1)));
    for (let step = 0; step < shape.width; step++)
      lines.push(statement(indent(level + 2), (level + 1) * 10 + step));
  }
  if (shape.language !== 'python')
    for (let level = blocks - 1; level >= 0; level--) lines.push(`${indent(level + 1)}}`);
  lines.push(
    shape.language === 'python'
      ? `${indentUnit}return limit`
      : `${indentUnit}return limit${shape.language === 'rust' ? '' : ';'}`,
  );
  if (shape.language !== 'python') lines.push('}');
  return lines.join('\n');
}

function importBlock(shape: PromptShape, random: SeededRandom): string {
  const table = IMPORTS[shape.language];
  const chosen = [
    ...pickSome(table.standard, shape.standardImports, random),
    ...pickSome(table.external, shape.externalImports, random),
  ];
  if (chosen.length === 0) return '';
  if (shape.language === 'go')
    return `import (\n${chosen.map((line) => `\t${line}`).join('\n')}\n)\n\n`;
  return `${chosen.join('\n')}\n\n`;
}

function pickSome(items: readonly string[], count: number, random: SeededRandom): string[] {
  const pool = [...items];
  const chosen: string[] = [];
  while (chosen.length < count && pool.length > 0)
    chosen.push(pool.splice(Math.floor(random.next() * pool.length), 1)[0]!);
  return chosen;
}

const TEST_FRAMEWORK: Record<Language, string> = {
  python: 'pytest',
  typescript: 'vitest',
  go: 'the testing package',
  rust: 'a #[cfg(test)] module',
  java: 'JUnit 5',
};
const DOC_STYLE: Record<Language, string> = {
  python: 'a Google-style docstring',
  typescript: 'a TSDoc comment',
  go: 'a godoc comment',
  rust: 'a /// doc comment with an example',
  java: 'a Javadoc comment',
};
const MANIFEST: Record<Language, string> = {
  python: 'requirements.txt',
  typescript: 'package.json',
  go: 'go.mod',
  rust: 'Cargo.toml',
  java: 'pom.xml',
};
const LANGUAGE_NAME: Record<Language, string> = {
  python: 'Python',
  typescript: 'TypeScript',
  go: 'Go',
  rust: 'Rust',
  java: 'Java',
};
const PROBLEMS = [
  'return the k most frequent {topic} by customer, ties broken by most recent',
  'merge overlapping time windows of {topic} and report the gaps longer than `limit` minutes',
  'find the shortest chain of dependent {topic} from the first to the last one (a DAG given as edges)',
  'compute the rolling median of {topic} amounts over a sliding window of `limit` entries',
  'group {topic} into batches whose total size stays under `limit`, minimizing the number of batches',
];
const FAILURES = [
  'the first and the last {item} are counted twice',
  'it crashes with an index error when {topic} is empty',
  'inactive {topic} still change the total',
  'the result is off by one when `limit` is reached exactly',
];
const SYSTEM_ISSUES = [
  'after upgrading the client library the build fails with a version conflict between two transitive dependencies',
  'under load the service deadlocks and connections to the database are never returned to the pool',
  'requests time out since we moved the cache to a cluster; reconnects storm the server',
  'the worker leaks memory when the message broker redelivers {topic}',
];

/** The whole prompt text for a shape. */
export function promptText(shape: PromptShape, random: SeededRandom): string {
  const item = shape.topic.replace(/s$/, '');
  const name =
    shape.kind === 'naming'
      ? random.pick(['proc', 'doIt', 'handle2', 'tmpFn', 'x1'])
      : camel(['process', shape.topic]);
  const fence = (code: string): string => `\`\`\`${shape.language}\n${code}\n\`\`\``;
  const code = `${importBlock(shape, random)}${functionCode(shape, random, name)}`;
  const fill = (text: string): string =>
    text.replaceAll('{topic}', shape.topic).replaceAll('{item}', item);
  const lang = LANGUAGE_NAME[shape.language];
  switch (shape.kind) {
    case 'naming':
      return `Suggest clearer names for this ${lang} function and its variables. Reply with the names only.\n\n${fence(code)}`;
    case 'docstring':
      return `Write ${DOC_STYLE[shape.language]} for this function.\n\n${fence(code)}`;
    case 'test-stub':
      return `Write unit test stubs with ${TEST_FRAMEWORK[shape.language]} for \`${name}\`: the normal case, an empty input and the limit.\n\n${fence(code)}`;
    case 'completion':
      return `Complete the ${lang} function below where the TODO is; keep the style.\n\n${fence(`${code}\n// TODO: also return the ${item} with the largest amount`)}`;
    case 'refactor':
      return `Refactor this ${lang} code: reduce the nesting and the duplication, keep the behaviour and the public signature.\n\n${fence(code)}`;
    case 'bug-fix':
      return `This ${lang} function is wrong: ${fill(random.pick(FAILURES))}. Find the bug and fix it.\n\n${fence(code)}`;
    case 'algorithm':
      return `In ${lang}, ${fill(random.pick(PROBLEMS))}. Aim for O(n log n) and explain the complexity. Here is the code it plugs into:\n\n${fence(code)}`;
    case 'system-level':
      return `Our ${lang} service: ${fill(random.pick(SYSTEM_ISSUES))}. Here is the ${MANIFEST[shape.language]} section and the code involved; propose the dependency changes and the code fix.\n\n${fence(code)}`;
  }
}
