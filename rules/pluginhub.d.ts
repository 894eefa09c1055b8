// PluginHub rule API. Reference it from a rule for editor completion:
//   /// <reference path="../pluginhub.d.ts" />
// A rule is a strict-mode script that defines `filter` and/or `transform` at the top level. Only function and `const`
// declarations may stand at the top level; constants are frozen (rules keep no state between records).
// Kept in step with the C# sandbox by tests/PluginHub.Rules.Tests/DeclarationFileTests.cs.

/**
 * Keeps (true) or skips (false) a source record. Must return a boolean.
 * A rule without `filter` keeps every record.
 */
declare function filter(record: PluginHub.SourceRecord, ctx: PluginHub.RuleContext): boolean;

/**
 * Shapes the fields written to the other side. `target` is what the field mappings produced (a copy); change, add or
 * delete its fields and return it, return a new plain object, or return nothing to keep the changed `target`.
 * A field missing from the result is not written; a field set to null is cleared.
 */
declare function transform(record: PluginHub.SourceRecord, target: PluginHub.Fields, ctx: PluginHub.RuleContext): PluginHub.Fields | void;

declare namespace PluginHub {
  /** A record as rules see it: a plain copy; changing it changes nothing outside the rule. */
  interface SourceRecord {
    /** The remote id (Salesforce 18-character id, Jira issue id). */
    id: string;
    /** The entity: `Case`, `Task`, `Invoice__c`… */
    entity: string;
    /** The human key (case number, Jira key), or null. */
    key: string | null;
    /** An opaque version that changes on every change. */
    version: string;
    /** Last modification, ISO 8601 UTC (`2026-11-26T18:00:00.000Z`). */
    modifiedAt: string;
    /** Who changed it last, when known. */
    modifiedBy: User | null;
    /** True for a deleted record (its fields may be empty). */
    deleted: boolean;
    /** The fields that were read, by API name. A missing key was not read; null means empty. */
    fields: Fields;
  }

  /** Field values by API name (`Subject`, `summary`, `customfield_10042`). */
  interface Fields {
    [name: string]: FieldValue;
  }

  /**
   * One field value. Text, integer, decimal and boolean fields are plain JS values; dates are `yyyy-mm-dd` strings and
   * date-times ISO 8601 UTC strings; the JSON escape hatch is the raw JSON value.
   */
  type FieldValue =
    | null
    | string
    | number
    | boolean
    | RichText
    | Choice
    | Choice[]
    | User
    | Link
    | FieldValue[]
    | { [key: string]: unknown };

  /** A choice of a closed list (status, priority, picklist, label, component). */
  interface Choice {
    /** The API value (picklist API name, status name, component id). */
    key: string;
    /** What people see, or null. */
    label: string | null;
  }

  /** A user; users are matched across systems by e-mail. */
  interface User {
    id: string | null;
    email: string | null;
    name: string | null;
  }

  /** A reference to another record. */
  interface Link {
    entity: string;
    id: string;
    key: string | null;
  }

  /** Text with markup. A plain string written to a rich-text field is converted from plain text to the field's markup. */
  interface RichText {
    format: "plain" | "html" | "jiraWiki" | "adf";
    /** The content in that markup (ADF as JSON text). */
    content: string;
  }

  /** The second (filter) or third (transform) argument. */
  interface RuleContext {
    /** The integration's name. */
    readonly integration: string;
    /** `toTarget` (source → target) or `toSource` (back, in a bi-directional integration). */
    readonly direction: "toTarget" | "toSource";
    /** The rule's name (file name or inline name). */
    readonly rule: string;
    /** The run's start time, ISO 8601 UTC; the same for every record of the run (and what `new Date()` returns). */
    readonly now: string;
    /** The linked record on the other side, when the record was synced before; null otherwise. */
    readonly linked: SourceRecord | null;
    /** Adds a line to the run's log and the rule tester's output: strings as is, other values as JSON. Bounded per call. */
    log(...values: unknown[]): void;
    /**
     * Looks `value` up in the integration's value map `map` (a choice is looked up by its key). Returns the mapped value,
     * else `fallback` when given, else null. An unknown map name throws.
     */
    mapValue<T = null>(map: string, value: string | number | boolean | Choice | null, fallback?: T): string | T;
    /** The user of the side being written with this e-mail (case-insensitive), or null. */
    userByEmail(email: string): User | null;
    /** Markup ↔ plain text helpers. */
    readonly text: TextHelpers;
  }

  /**
   * Plain text here means: a blank line between paragraphs, a newline for a line break, `- ` bullets, `1. ` numbered items,
   * and links as `text (url)`. Bold and italic have no plain form and are dropped. null/undefined give null.
   */
  interface TextHelpers {
    htmlToText(html: string): string;
    wikiToText(wiki: string): string;
    /** Accepts ADF as JSON text or as an object. */
    adfToText(adf: string | object): string;
    textToHtml(text: string): string;
    textToWiki(text: string): string;
    /** Returns ADF as JSON text. */
    textToAdf(text: string): string;
    /** Any text-like value to plain text: a string as is, RichText converted from its format. */
    toText(value: string | RichText | null): string | null;
  }
}

// Sandbox globals: standard ECMAScript only, nothing else (no console, require, fetch, timers, eval or Function(string)).
// Removed: ShadowRealm, SharedArrayBuffer, Atomics, WeakRef, FinalizationRegistry, Intl, Temporal.
// Every global below is frozen. The list is checked against the sandbox by the tests.
// @sandbox-globals-begin
// AggregateError Array ArrayBuffer AsyncDisposableStack AsyncIterator BigInt BigInt64Array BigUint64Array Boolean
// DataView Date DisposableStack Error EvalError Float16Array Float32Array Float64Array Function Generator Infinity
// Int16Array Int32Array Int8Array Iterator JSON Map Math NaN Number Object Promise Proxy RangeError ReferenceError
// Reflect RegExp Set String SuppressedError Symbol SyntaxError TypeError TypedArray URIError Uint16Array Uint32Array
// Uint8Array Uint8ClampedArray WeakMap WeakSet decodeURI decodeURIComponent encodeURI encodeURIComponent escape eval
// globalThis isFinite isNaN parseFloat parseInt toString undefined unescape
// @sandbox-globals-end
