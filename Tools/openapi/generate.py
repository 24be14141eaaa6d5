#!/usr/bin/env python3
"""Writes Sources/Server/HTTP/OpenAPIDocument.swift: the OpenAPI 3.1 document of `teamlog serve`."""
import json, os
problem = {"$ref": "#/components/responses/Problem"}
def problems(*codes): return {str(c): problem for c in codes}
sec = [{"apiKey": []}]
view_names = ["inbox","team-roster","mailing-list","teams","affiliate-roster","jobs","interviews","assignment","users","invitations","invitation","user-assignments","all-teams","thread","job-threads","outbox"]
filters = [("role","users: only this role"),("postedBy","jobs: only those posted by this user"),("invitedBy","invitations: only those sent by this user"),("invitee","invitations: only those sent to this address"),("kind","invitations: network or team"),("status","invitations: pending, accepted, revoked, expired"),("delivery","outbox: pending, sent, failed, cancelled"),("showToken","invitation: true shows its signup token (operator keys only)")]
doc = {
 "openapi": "3.1.0",
 "info": {"title": "Teamlog", "version": "1",
   "description": "The Teamlog marketplace over HTTP: commands (group-committed, answered once durable), read models, the audit trail and a live event feed. Errors are application/problem+json (RFC 9457). Every /v1 route takes an API key: `Authorization: Bearer <key>` (see `teamlog keys`)."},
 "servers": [{"url": "http://127.0.0.1:8080"}],
 "components": {
   "securitySchemes": {"apiKey": {"type": "http", "scheme": "bearer", "description": "A key made by `teamlog keys add`."}},
   "schemas": {
     "Problem": {"type": "object", "required": ["type","title","status","code","detail"], "properties": {
        "type": {"type": "string"}, "title": {"type": "string"}, "status": {"type": "integer"},
        "code": {"type": "string", "description": "The rejection's code (alreadyExists, notPermitted, …) or the error's class (malformed, unauthorized, forbidden, notFound, conflict, busy, commandIdReused, …)."},
        "detail": {"type": "string", "description": "What went wrong and what to do; never personal data."}}},
     "Command": {"type": "object", "required": ["command"], "additionalProperties": True,
        "description": "A command in its `exec` JSON form (docs/EVENTS.md): its name, the command's fields, and optionally commandId and correlationId. The actor comes from the key (a body naming another actor is 403, except for operator keys).",
        "properties": {"command": {"type": "string"}, "actor": {"type": "string"}, "commandId": {"type": "string"}, "correlationId": {"type": "string"}}},
     "CommandResult": {"type": "object", "required": ["ok","positions","events","streams"], "properties": {
        "ok": {"const": True}, "positions": {"type": "array", "items": {"type": "integer"}, "minItems": 2, "maxItems": 2},
        "duplicate": {"type": "boolean", "description": "The command id was applied before: this is the first result, nothing was appended."},
        "events": {"type": "array", "items": {"type": "string"}}, "streams": {"type": "array", "items": {"type": "string"}}}},
     "Event": {"type": "object", "required": ["position","stream","version","type","schemaVersion","recordedAt","recordedAtMicros","actor","eventId","commitPosition"], "properties": {
        "position": {"type": "integer"}, "stream": {"type": "string"}, "version": {"type": "integer"}, "type": {"type": "string"},
        "schemaVersion": {"type": "integer"}, "recordedAt": {"type": "string"}, "recordedAtMicros": {"type": "integer"},
        "actor": {"type": "string"}, "principal": {"type": "string"}, "eventId": {"type": "string"}, "commitPosition": {"type": "integer"},
        "commandId": {"type": "string"}, "correlationId": {"type": "string"}, "payload": {}}},
     "LogPage": {"type": "object", "required": ["events","next"], "properties": {
        "events": {"type": "array", "items": {"$ref": "#/components/schemas/Event"}},
        "next": {"type": ["integer","null"], "description": "The `from` of the next page; null at the end."}}},
     "Rows": {"type": "array", "items": {"type": "object"}},
     "ViewAnswer": {"oneOf": [{"$ref": "#/components/schemas/Rows"}, {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/Rows"}}]},
     "Status": {"type": "object", "required": ["storeId","head","views"], "properties": {
        "storeId": {"type": "string"}, "head": {"type": "object"}, "views": {"type": "array", "items": {"type": "object"}}}},
   },
   "responses": {"Problem": {"description": "An error (RFC 9457).", "content": {"application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}},
   "parameters": {
     "view": {"name": "view", "in": "path", "required": True, "schema": {"type": "string", "enum": view_names}},
     **{n: {"name": n, "in": "query", "required": False, "schema": {"type": "string"}, "description": d} for n, d in filters},
   }
 },
 "security": sec,
 "paths": {}
}
P = doc["paths"]
P["/v1/commands"] = {"post": {"summary": "Run one command; 200 once its commit is durable.", "operationId": "runCommand",
  "parameters": [{"name": "Idempotency-Key", "in": "header", "required": False, "schema": {"type": "string"}, "description": "The command id (or give commandId in the body)."}],
  "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Command"}}}},
  "responses": {"200": {"description": "Applied (or the first result of a retried command id).", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/CommandResult"}}}}, **problems(400,401,403,409,413,422,500,503,507)}}}
P["/v1/commands/batch"] = {"post": {"summary": "Run commands given as JSON Lines, each atomic; one result line per command, as `teamlog exec` prints them.", "operationId": "runCommands",
  "requestBody": {"required": True, "content": {"application/x-ndjson": {"schema": {"type": "string"}}, "text/plain": {"schema": {"type": "string"}}}},
  "responses": {"200": {"description": "One result line per command line.", "content": {"application/x-ndjson": {"schema": {"type": "string"}}}}, **problems(400,401,403,413,500,503)}}}
vparams = [{"$ref": "#/components/parameters/" + n} for n, _ in filters]
P["/v1/views/{view}"] = {"get": {"summary": "A view that takes no key (jobs, users, invitations), filtered.", "operationId": "queryView",
  "parameters": [{"$ref": "#/components/parameters/view"}] + vparams,
  "responses": {"200": {"description": "The view's answer, as `teamlog query --format json` prints it.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ViewAnswer"}}}}, **problems(400,401,403,404,500,503)}}}
P["/v1/views/{view}/{key}"] = {"get": {"summary": "A view of one user, team, job, manager or assignment.", "operationId": "queryViewKey",
  "parameters": [{"$ref": "#/components/parameters/view"}, {"name": "key", "in": "path", "required": True, "schema": {"type": "string"}}] + vparams,
  "responses": {"200": {"description": "The view's answer.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/ViewAnswer"}}}}, **problems(400,401,403,404,500,503)}}}
P["/v1/sql"] = {"get": {"summary": "A read-only SQL statement over the read models (auditors and operators), with a time limit.", "operationId": "sql",
  "parameters": [{"name": "q", "in": "query", "required": True, "schema": {"type": "string"}}],
  "responses": {"200": {"description": "The rows.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Rows"}}}}, **problems(400,401,403,500,503)}}}
lparams = [{"name": n, "in": "query", "required": False, "schema": s, "description": d} for n, s, d in [
  ("stream", {"type": "string"}, "Only these streams (comma-separated or repeated)."), ("type", {"type": "string"}, "Only these event types."),
  ("actor", {"type": "string"}, "Only events caused by these actors."), ("since", {"type": "string"}, "ISO-8601: at or after."),
  ("until", {"type": "string"}, "ISO-8601: at or before."), ("from", {"type": "integer", "minimum": 1}, "From this position."),
  ("to", {"type": "integer", "minimum": 1}, "Up to this position."), ("limit", {"type": "integer", "minimum": 1, "maximum": 10000}, "Events per page (default 1000)."),
  ("payload", {"type": "string", "enum": ["true","false"]}, "Include payloads (personal data).")]]
P["/v1/log"] = {"get": {"summary": "The audit trail, a page at a time by position.", "operationId": "auditLog", "parameters": lparams,
  "responses": {"200": {"description": "A page of events.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/LogPage"}}}}, **problems(400,401,403,500,503)}}}
P["/v1/events"] = {"get": {"summary": "The live feed (Server-Sent Events): catches up from the log, then goes live. Each event's id is its position; Last-Event-ID resumes right after it.", "operationId": "feed",
  "parameters": [{"name": "from", "in": "query", "required": False, "schema": {"type": "integer", "minimum": 1}}, {"name": "stream", "in": "query", "required": False, "schema": {"type": "string"}},
                 {"name": "type", "in": "query", "required": False, "schema": {"type": "string"}}, {"name": "Last-Event-ID", "in": "header", "required": False, "schema": {"type": "string"}}],
  "responses": {"200": {"description": "`id: <position>`, `event: <type>`, `data: <event JSON>` per event; `: heartbeat` comments.", "content": {"text/event-stream": {"schema": {"type": "string"}}}}, **problems(400,401,403)}}}
P["/v1/status"] = {"get": {"summary": "The log's head and each view's checkpoint and lag.", "operationId": "status",
  "responses": {"200": {"description": "Status.", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Status"}}}}, **problems(401,403,500,503)}}}
P["/v1/verify"] = {"post": {"summary": "Verify the log (checksums, hash chain, acknowledged head); progress lines, then the report or the damage.", "operationId": "verify",
  "responses": {"200": {"description": "JSON Lines: {\"progress\":…} lines, then {\"ok\":true,…} or {\"ok\":false,\"code\":…}.", "content": {"application/x-ndjson": {"schema": {"type": "string"}}}}, **problems(401,403)}}}
open_ = []
P["/healthz"] = {"get": {"summary": "The process is up.", "operationId": "health", "security": open_, "responses": {"200": {"description": "Up.", "content": {"application/json": {"schema": {"type": "object"}}}}}}}
P["/readyz"] = {"get": {"summary": "Ready to serve: the views are caught up and the server is not stopping.", "operationId": "ready", "security": open_, "responses": {"200": {"description": "Ready.", "content": {"application/json": {"schema": {"type": "object"}}}}, **problems(503)}}}
P["/metrics"] = {"get": {"summary": "Prometheus metrics.", "operationId": "metrics", "security": open_, "responses": {"200": {"description": "Prometheus text.", "content": {"text/plain": {"schema": {"type": "string"}}}}}}}
P["/v1/openapi.json"] = {"get": {"summary": "This document.", "operationId": "openapi", "security": open_, "responses": {"200": {"description": "OpenAPI 3.1.", "content": {"application/json": {"schema": {"type": "object"}}}}}}}
text = json.dumps(doc, indent=1, sort_keys=False)
assert '"""' not in text
swift = '// Generated by Tools/openapi/generate.py: edit that, then run it.\n\n/// The OpenAPI 3.1 document of the server\'s API, as `GET /v1/openapi.json` serves it (schemathesis checks\n/// the running server\'s answers against it: ServerOpenAPITests).\nenum OpenAPIDocument {\n    static let json = #"""\n' + text + '\n"""#\n}\n'
open(os.path.join(os.path.dirname(os.path.abspath(__file__)), '../../Sources/Server/HTTP/OpenAPIDocument.swift'),'w').write(swift)

