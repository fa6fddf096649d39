/// The OpenAPI 3.1 description of `baton serve`, served at `/openapi.yaml`.
///
/// Kept in source so the binary serves exactly what it implements; `OpenAPITests` checks that
/// every route of the router appears under `paths` with its method, and that the event schema's
/// required members match what the decoder refuses.
package enum OpenAPIDocument {
    package static let yaml = """
        openapi: 3.1.0
        info:
          title: Baton hand-off service
          version: "1"
          description: |
            Marketing-automation and CRM events in; scores, qualification, routing, SLA timers and
            alerts out. Every route but /health, /ready and the vendors' /integrations/… needs `Authorization: Bearer <token>`; roles are
            marketing, sales, sales-manager (sales plus assigning leads by hand), admin (everything) and ingest. Errors are
            `{"error": {"code", "message", "field"}}` where `field` names the JSON member at fault.
            An event is answered 2xx only after it is durably committed; a retried event_id is
            answered `duplicate` and counted once.
        servers:
          - url: http://127.0.0.1:8080
        security:
          - bearer: []
        components:
          securitySchemes:
            bearer: {type: http, scheme: bearer}
          responses:
            Error:
              description: JSON error naming the field
              content:
                application/json:
                  schema: {$ref: "#/components/schemas/Error"}
          schemas:
            Error:
              type: object
              required: [error]
              properties:
                error:
                  type: object
                  required: [code, message]
                  properties:
                    code: {type: string}
                    message: {type: string}
                    field: {type: string, description: "JSON path of the member at fault, e.g. [2].occurred_at"}
            Event:
              type: object
              required: [event_id, type, occurred_at, lead_id]
              # One branch per event type (exclusive by `type`): generators build each shape directly.
              oneOf:
                - {required: [fields], properties: {type: {const: lead_created}}}
                - {required: [event_type], properties: {type: {const: engagement}, event_type: {pattern: '\\S'}}}
                - {required: [rep_id, channel, outcome], properties: {type: {const: contact_attempt}, channel: {enum: [call, email, meeting, social, sms, other]}, outcome: {enum: [connected, voicemail, no_answer, sent, replied, bounced]}}}
                - {required: [rep_id, code], properties: {type: {const: disposition}, code: {pattern: '\\S'}}}
                - {required: [rep_id], properties: {type: {const: assign}}}
                - {required: [opportunity_id, amount, currency, stage], properties: {type: {const: opportunity}, stage: {pattern: '\\S'}, currency: {pattern: '^[A-Z]{3}$'}, amount: {minimum: 0, maximum: 999999999999999, multipleOf: 0.01, pattern: '^[0-9]{1,15}(\\.[0-9]{1,2})?$'}}}
                - {required: [opportunity_id, amount, close_date], properties: {type: {enum: [won, lost]}, close_date: {pattern: '^(19[7-9][0-9]|[2-9][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])([Tt](0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?([Zz]|[+-](0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]))?$'}, amount: {minimum: 0, maximum: 999999999999999, multipleOf: 0.01, pattern: '^[0-9]{1,15}(\\.[0-9]{1,2})?$'}}}
                - {properties: {type: {const: lead_updated}}}
                - {required: [rep_id], properties: {type: {const: release}}}
                - {required: [reason, until], properties: {type: {const: sla_pause}, reason: {type: string, pattern: '^[^\\n\\r\\u000B\\u000C\\u0085\\u2028\\u2029]*\\S[^\\n\\r\\u000B\\u000C\\u0085\\u2028\\u2029]*$', maxLength: 200}}}
                - {properties: {type: {const: sla_resume}}, not: {required: [until]}}
                - {required: [merged_lead_id], properties: {type: {enum: [merge, unmerge]}}}
              properties:
                event_id: {type: string, minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*[^\\s\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029][^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*$', description: "Sender's id: printable, at most 256 UTF-8 bytes (maxLength counts characters: 256 in ASCII, fewer in other scripts); a retry with the same id is a duplicate"}
                type:
                  type: string
                  enum: [lead_created, lead_updated, engagement, contact_attempt, disposition, opportunity, won, lost, assign, release, sla_pause, sla_resume, merge, unmerge]
                occurred_at: {type: string, format: date-time, pattern: '^(19[7-9][0-9]|[2-9][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])[Tt](0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?([Zz]|[+-](0[0-9]|1[0-9]|2[0-3]):[0-5][0-9])$', description: "RFC 3339 with a zone, a day that exists, years 1970–9999; kept to the millisecond"}
                lead_id: {type: string, minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*[^\\s\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029][^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*$'}
                fields: {type: [object, "null"], additionalProperties: {type: [string, number, boolean, "null"]}, description: "lead_created (required), lead_updated"}
                source: {type: [string, "null"]}
                campaign: {type: [string, "null"]}
                event_type: {type: string, description: "engagement (required), e.g. webinar_attended"}
                content: {type: [string, "null"]}
                url: {type: [string, "null"]}
                rep_id: {type: string, minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*[^\\s\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029][^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*$', description: "contact_attempt, disposition, assign, release (required)"}
                channel: {type: string, description: "contact_attempt: call, email, meeting, social, sms or other"}
                outcome: {type: string, description: "contact_attempt: connected, voicemail, no_answer, sent, replied or bounced"}
                note: {type: [string, "null"]}
                assigned_by: {type: string, minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*[^\\s\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029][^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*$', description: "assign: who decided (a manager's e-mail or name)"}
                priority: {type: string, enum: [high, standard], description: "assign: the SLA policy for the new rep (default: the lead's)"}
                code: {type: string, description: "disposition (required): wrong_fit, no_budget, bad_timing, competitor_chosen, unresponsive or a playbook code"}
                opportunity_id: {type: string, minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*[^\\s\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029][^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*$', description: "opportunity, won, lost (required)"}
                amount: {type: [string, number], description: "decimal ≥ 0 in major units below 10^15, e.g. \\"12500.00\\""}
                currency: {type: string}
                stage: {type: string}
                close_date: {type: string, description: "won/lost (required): 2026-04-30 or an RFC 3339 date-time, a day that exists (the pattern shows days 01–28; 29–31 are accepted where they exist)"}
                reason: {type: [string, "null"], description: "won/lost: why; release: why the rep hands the lead back to the fallback queue; sla_pause (required): why the clock stops, e.g. out_of_office, prospect_requested, waiting_for_enrichment"}
                until: {$ref: "#/components/schemas/Event/properties/occurred_at", description: "sla_pause (required): when the clock runs again (an sla_resume or the rep's next attempt may come sooner)"}
                merged_lead_id: {$ref: "#/components/schemas/Event/properties/lead_id", description: "merge, unmerge (required): the other lead of the pair, not lead_id itself; merge: the same person as lead_id (the CRM merged them), which from then on addresses lead_id; unmerge: ends that"}
            CloudEvent:
              type: object
              description: >-
                A CloudEvents 1.0 event in the JSON format (structured mode); other members are extension
                attributes, accepted and not kept. data (or data_base64 of JSON) holds the members of the Baton event
                of that type except event_id, type and occurred_at, which the envelope gives.
              required: [specversion, id, source, type, time, subject, data]
              oneOf:
                - {properties: {type: {const: io.baton.lead.created}, data: {required: [fields]}}}
                - {properties: {type: {const: io.baton.lead.updated}}}
                - {properties: {type: {const: io.baton.lead.engaged}, data: {required: [event_type], properties: {event_type: {pattern: '\\S'}}}}}
                - {properties: {type: {const: io.baton.lead.contact_attempted}, data: {required: [rep_id, channel, outcome], properties: {channel: {enum: [call, email, meeting, social, sms, other]}, outcome: {enum: [connected, voicemail, no_answer, sent, replied, bounced]}}}}}
                - {properties: {type: {const: io.baton.lead.dispositioned}, data: {required: [rep_id, code], properties: {code: {pattern: '\\S'}}}}}
                - {properties: {type: {const: io.baton.lead.assigned}, data: {required: [rep_id]}}}
                - {properties: {type: {const: io.baton.opportunity.updated}, data: {required: [opportunity_id, amount, currency, stage], properties: {stage: {pattern: '\\S'}, currency: {pattern: '^[A-Z]{3}$'}, amount: {minimum: 0, maximum: 999999999999999, multipleOf: 0.01, pattern: '^[0-9]{1,15}(\\.[0-9]{1,2})?$'}}}}}
                - {properties: {type: {enum: [io.baton.opportunity.won, io.baton.opportunity.lost]}, data: {required: [opportunity_id, amount, close_date], properties: {close_date: {$ref: "#/components/schemas/Event/oneOf/6/properties/close_date"}, amount: {minimum: 0, maximum: 999999999999999, multipleOf: 0.01, pattern: '^[0-9]{1,15}(\\.[0-9]{1,2})?$'}}}}}
                - {properties: {type: {const: io.baton.lead.released}, data: {required: [rep_id]}}}
                - {properties: {type: {const: io.baton.lead.sla_paused}, data: {required: [reason, until], properties: {reason: {type: string, pattern: '^[^\\n\\r\\u000B\\u000C\\u0085\\u2028\\u2029]*\\S[^\\n\\r\\u000B\\u000C\\u0085\\u2028\\u2029]*$', maxLength: 200}}}}}
                - {properties: {type: {const: io.baton.lead.sla_resumed}, data: {not: {required: [until]}}}}
                - {properties: {type: {enum: [io.baton.lead.merged, io.baton.lead.unmerged]}, data: {required: [merged_lead_id]}}}
              properties:
                specversion: {type: string, const: "1.0"}
                id: {type: string, minLength: 1, maxLength: 236, pattern: '^[^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*[^\\s\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029][^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*$', description: "at most 236 UTF-8 bytes; unique per source"}
                source: {type: string, minLength: 1, maxLength: 4096, pattern: '^[!-~]+$', description: "URI-reference (no spaces)"}
                type: {type: string, enum: [io.baton.lead.created, io.baton.lead.updated, io.baton.lead.engaged, io.baton.lead.contact_attempted, io.baton.lead.dispositioned, io.baton.lead.assigned, io.baton.lead.released, io.baton.lead.sla_paused, io.baton.lead.sla_resumed, io.baton.lead.merged, io.baton.lead.unmerged, io.baton.opportunity.updated, io.baton.opportunity.won, io.baton.opportunity.lost]}
                time: {$ref: "#/components/schemas/Event/properties/occurred_at"}
                subject: {$ref: "#/components/schemas/Event/properties/lead_id"}
                datacontenttype: {type: string, enum: [application/json], description: "JSON (any +json media type too); anything else is 415"}
                dataschema: {type: string}
                data_base64: {not: {}, description: "the base64 of JSON data is read too (in place of data, never beside it)"}
                data:
                  type: object
                  not: {anyOf: [{required: [event_id]}, {required: [type]}, {required: [occurred_at]}, {required: [lead_id]}]}
                  properties:
                    fields: {$ref: "#/components/schemas/Event/properties/fields"}
                    source: {type: [string, "null"]}
                    campaign: {type: [string, "null"]}
                    event_type: {type: string}
                    content: {type: [string, "null"]}
                    url: {type: [string, "null"]}
                    rep_id: {$ref: "#/components/schemas/Event/properties/rep_id"}
                    channel: {type: string}
                    outcome: {type: string}
                    note: {type: [string, "null"]}
                    assigned_by: {$ref: "#/components/schemas/Event/properties/assigned_by"}
                    priority: {type: string, enum: [high, standard]}
                    code: {type: string}
                    opportunity_id: {$ref: "#/components/schemas/Event/properties/opportunity_id"}
                    amount: {type: [string, number]}
                    currency: {type: string}
                    stage: {type: string}
                    close_date: {type: string}
                    reason: {type: [string, "null"]}
                    until: {$ref: "#/components/schemas/Event/properties/occurred_at"}
                    merged_lead_id: {$ref: "#/components/schemas/Event/properties/lead_id"}
            EventResult:
              type: object
              required: [event_id, status]
              properties:
                event_id: {type: [string, "null"]}
                status: {type: string, enum: [applied, duplicate, rejected, not_processed]}
                effects: {type: array, items: {type: string}}
                error: {$ref: "#/components/schemas/Error/properties/error"}
                missing_fields: {type: array, items: {type: string}, description: "an integration's lead is stored but not scored until these model fields arrive"}
            IntegrationResults:
              type: object
              required: [results, skipped, counts]
              properties:
                results: {type: array, items: {$ref: "#/components/schemas/EventResult"}}
                skipped:
                  type: array
                  items: {type: object, required: [vendor_id, reason], properties: {vendor_id: {type: string}, reason: {type: string}}}
                counts: {type: object}
                error: {type: object}
            HubSpotEvent:
              type: object
              description: One event of HubSpot's webhook payload (developers.hubspot.com, webhooks API).
              required: [eventId, subscriptionId, portalId, occurredAt, subscriptionType]
              properties:
                eventId: {type: integer}
                subscriptionId: {type: integer}
                portalId: {type: integer}
                appId: {type: integer}
                occurredAt: {type: integer, minimum: 0, description: milliseconds since 1970}
                subscriptionType: {type: string, description: "contact.creation, contact.propertyChange, contact.deletion, contact.privacyDeletion, contact.merge, contact.restore, object.* with objectTypeId"}
                attemptNumber: {type: integer}
                objectId: {type: integer}
                objectTypeId: {type: string}
                propertyName: {type: string}
                propertyValue: {type: string}
                changeSource: {type: string}
                primaryObjectId: {type: integer}
                mergedObjectIds: {type: array, items: {type: integer}}
                newObjectId: {type: integer}
            Model:
              type: object
              properties:
                sha256: {type: string}
                format: {type: string}
                version_label: {type: string}
                uploaded_at: {type: string, format: date-time}
                promoted_at: {type: [string, "null"], format: date-time}
                retired_at: {type: [string, "null"], format: date-time}
                in_production: {type: boolean}
        paths:
          /health:
            get:
              summary: Liveness and store check (no token)
              security: []
              responses:
                "200": {description: "{\\"status\\": \\"ok\\"}"}
                "503": {description: store unavailable}
          /ready:
            get:
              summary: Readiness (no token) — 200 only when the store takes a write now (disk full, read-only or locked → 503)
              security: []
              responses:
                "200": {description: "{\\"status\\": \\"ready\\"}"}
                "503": {description: "{\\"status\\": \\"store_unwritable\\"}; the log says why"}
          /events:
            post:
              summary: Ingest one event (object) or a batch (array), marketing automation and CRM alike; Baton's JSON or CloudEvents 1.0
              description: >-
                Role ingest. Each event is one unit of work, committed before the answer.
                CloudEvents 1.0 (HTTP protocol binding) are read in all three content modes:
                structured (Content-Type application/cloudevents+json), batched
                (application/cloudevents-batch+json, may be empty) and binary (a ce-specversion header;
                ce-id, ce-source, ce-type, ce-time, ce-subject headers, percent-encoded as the binding says;
                the body is the data, Content-Type application/json). The CloudEvents type is one of
                io.baton.lead.created, io.baton.lead.updated, io.baton.lead.engaged, io.baton.lead.contact_attempted,
                io.baton.lead.dispositioned, io.baton.lead.assigned, io.baton.lead.released, io.baton.lead.sla_paused,
                io.baton.lead.sla_resumed, io.baton.lead.merged, io.baton.lead.unmerged, io.baton.opportunity.updated,
                io.baton.opportunity.won, io.baton.opportunity.lost; subject is the lead id (or data.lead_id,
                equal to it when both are sent); time is required; data holds the Baton event's type-specific
                members. Idempotent by source + id: the stored event_id is "ce:" + 16 hex digits of
                SHA-256(source) + ":" + id. A CloudEvents media type other than JSON, or data that is not JSON, is 415.
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      oneOf:
                        - {$ref: "#/components/schemas/Event"}
                        - {type: array, items: {$ref: "#/components/schemas/Event"}, minItems: 1, description: "at most max_batch_events (default 1000), else 413"}
                  application/cloudevents+json:
                    schema: {$ref: "#/components/schemas/CloudEvent"}
                  application/cloudevents-batch+json:
                    schema: {type: array, items: {$ref: "#/components/schemas/CloudEvent"}, description: "at most max_batch_events (default 1000), else 413"}
              responses:
                "201": {description: single event applied, content: {application/json: {schema: {$ref: "#/components/schemas/EventResult"}}}}
                "200": {description: single duplicate, or a batch with one result per element}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "413": {$ref: "#/components/responses/Error"}
                "415": {$ref: "#/components/responses/Error"}
                "422": {$ref: "#/components/responses/Error"}
                "503": {description: store unavailable; nothing after the listed committed events was stored, resend}
                "409": {$ref: "#/components/responses/Error"}
          /integrations/segment:
            post:
              summary: One message of Segment's Webhooks destination (identify, track, group, alias; page and screen change nothing)
              description: >-
                No bearer token: the request is authenticated by X-Signature, the hex HMAC-SHA1 of the raw body with
                the shared secret of segment_secret_file (404 when it is not configured). One message per request
                (turn batching off: Segment signs only a batch's first event). Idempotent by messageId (the stored
                event id is "segment:" + messageId). The lead is the one an earlier alias links userId or anonymousId
                to, else the first of them that is a stored lead, else userId (or anonymousId). identify maps traits
                through the field mapping's segment section (lead_created, or lead_updated for a stored lead); track
                maps event through segment_events to an engagement type; group maps the account's traits through
                segment_group onto the stored lead; alias links previousId and userId to the stored lead of either.
              security: []
              parameters:
                - {name: X-Signature, in: header, required: true, schema: {type: string, pattern: '^[0-9a-fA-F]{40}$'}}
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      required: [type, messageId, timestamp]
                      properties:
                        type: {type: string, enum: [identify, track, group, alias, page, screen]}
                        messageId: {type: string, minLength: 1, maxLength: 248}
                        userId: {type: [string, integer, "null"]}
                        anonymousId: {type: [string, integer, "null"]}
                        timestamp: {$ref: "#/components/schemas/Event/properties/occurred_at"}
                        traits: {type: [object, "null"]}
                        event: {type: string}
                        properties: {type: [object, "null"]}
                        groupId: {type: [string, integer]}
                        previousId: {type: [string, integer]}
              responses:
                "201": {description: "applied: {status, message_id, event_id, lead_id, effects}"}
                "200": {description: "duplicate (the same messageId again, a repeated alias) or skipped (nothing in Baton changes; reason says why)"}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "409": {$ref: "#/components/responses/Error"}
                "413": {$ref: "#/components/responses/Error"}
                "422": {$ref: "#/components/responses/Error"}
                "503": {description: store unavailable; Segment retries}
          /integrations/marketo:
            post:
              summary: A Marketo webhook call rendering one of Baton's templates (Notebooks-md/marketo) into Baton's own event shape
              description: >-
                No bearer token: the X-Baton-Marketo-Secret custom header must hold the secret of marketo_secret_file
                (404 when it is not configured). The body is one Baton event (lead_created, lead_updated or engagement)
                with Marketo's token forms allowed: lead_id may be {{lead.Id}} (a number; the lead is marketo-<Id>),
                occurred_at may be {{system.dateTime}} (read in marketo_time_zone), event_id may be absent (then
                marketo: + 32 hex digits of SHA-256 of the body), blank fields are left out. Lead events merge into the
                lead (created when new; missing_fields until the model's fields are known). Answered after the commit.
              security: []
              parameters:
                - {name: X-Baton-Marketo-Secret, in: header, required: true, schema: {type: string, minLength: 16}}
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      required: [type, lead_id, occurred_at]
                      properties:
                        type: {type: string, enum: [lead_created, lead_updated, engagement]}
                        lead_id: {type: [string, integer]}
                        occurred_at: {type: string}
                        event_id: {type: [string, integer]}
                        fields: {type: object}
                        event_type: {type: string}
                        content: {type: string}
                        url: {type: string}
                        source: {type: string}
                        campaign: {type: string}
              responses:
                "200": {description: applied or duplicate, content: {application/json: {schema: {$ref: "#/components/schemas/IntegrationResults"}}}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "413": {$ref: "#/components/responses/Error"}
                "422": {$ref: "#/components/responses/Error"}
                "503": {description: store unavailable; Marketo does not retry, so re-run the campaign step for the people it lists}
          /integrations/hubspot:
            post:
              summary: HubSpot webhook deliveries (contact.* and object.* subscriptions), signed with X-HubSpot-Signature-v3
              description: >-
                No bearer token: the v3 signature (HMAC-SHA256 with the app's client secret over method, full URI,
                raw body and X-HubSpot-Request-Timestamp) authenticates the request, and a timestamp more than 5
                minutes away is refused. 404 when hubspot_client_secret_file is not configured. Each event is one
                unit of work; the answer comes after the commits. Event ids are hubspot-portalId-subscriptionId-eventId,
                so a redelivery is answered duplicate. Properties map to lead fields through field_mapping; a lead is
                stored incomplete (missing_fields) until the model's fields are known.
              security: []
              parameters:
                - {name: X-HubSpot-Signature-v3, in: header, required: true, schema: {type: string}}
                - {name: X-HubSpot-Request-Timestamp, in: header, required: true, schema: {type: string, pattern: '^[0-9]{1,15}$'}}
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {type: array, minItems: 1, items: {$ref: "#/components/schemas/HubSpotEvent"}}
              responses:
                "200": {description: every event applied, duplicate or skipped, content: {application/json: {schema: {$ref: "#/components/schemas/IntegrationResults"}}}}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "413": {$ref: "#/components/responses/Error"}
                "415": {$ref: "#/components/responses/Error"}
                "422": {description: the flow refused an event (the others are committed; a retry brings them back duplicate), content: {application/json: {schema: {$ref: "#/components/schemas/IntegrationResults"}}}}
                "503": {description: store unavailable; the results say what was committed, content: {application/json: {schema: {$ref: "#/components/schemas/IntegrationResults"}}}}
          /integrations/salesforce:
            post:
              summary: Salesforce Outbound Messages (SOAP notifications of Lead, Contact and Opportunity records)
              description: >-
                No bearer token: the message's OrganizationId must be salesforce_organization_id (15 or 18
                characters). Answered with the WSDL's notificationsResponse (Ack true) only after every event is
                committed; anything else is a SOAP fault (HTTP 500, SOAP 1.1), and Salesforce retries. Notification
                ids make retries duplicates. 404 (a SOAP fault) when salesforce_organization_id is not configured.
              security: []
              requestBody:
                required: true
                content:
                  text/xml:
                    schema: {type: string}
              responses:
                "200": {description: "notificationsResponse with <Ack>true</Ack>", content: {text/xml: {schema: {type: string}}}}
                "404": {description: "SOAP fault: the integration is not configured", content: {text/xml: {schema: {type: string}}}}
                "500": {description: "SOAP fault: soapenv:Client (a message Baton refuses: another organisation, a DTD, not the envelope, a refused event) or soapenv:Server (store unavailable)", content: {text/xml: {schema: {type: string}}}}
          /leads:
            get:
              summary: Leads a page at a time, filtered by stage, current holder and recent activity
              description: >-
                Roles marketing, sales, sales-manager. Creation order; `next_cursor` (and a `Link: <…>; rel="next"`
                header) fetches the next page, null on the last. `owner` is a rep id or a fallback queue name
                (`owner=sales-triage` lists the parked leads). `since` keeps leads with any activity at or after it
                (a field, an event's arrival, an SLA step, an assignment). Each lead carries `stage`, `priority`,
                `points`, `probability`, `owner` ({kind: rep|fallback_queue, id, since, rule}) and `last_activity_at`.
              parameters:
                - {name: stage, in: query, required: false, schema: {type: string, enum: [nurture, mql, sql]}}
                - {name: owner, in: query, required: false, schema: {type: string, minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*[^\\s\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029][^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*$'}}
                - {name: since, in: query, required: false, schema: {type: string, pattern: '^(19[7-9][0-9]|[2-9][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])([Tt](0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?([Zz]|[+-](0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]))?$'}}
                - {name: cursor, in: query, required: false, schema: {type: string, maxLength: 1024, pattern: '^[A-Za-z0-9_-]+$'}}
                - {name: limit, in: query, required: false, schema: {type: integer, minimum: 1, maximum: 500}}
              responses:
                "200": {description: "{leads, count, next_cursor, filters}"}
                "400": {$ref: "#/components/responses/Error"}
                "422": {description: "cursor is not one this service handed out", content: {application/json: {schema: {$ref: "#/components/schemas/Error"}}}}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
          /leads/{id}:
            get:
              summary: A lead with its latest score and reasons, qualification, hand-off package and timeline
              description: >-
                Roles marketing, sales. JSON keeps `handoff_package` (the open assignment's store view) and adds
                `package` (the engine's hand-off package: prospect, score and reasons, qualification evidence,
                journey, content consumed, recommended approach, email draft, SLA deadline — null when no SLA runs)
                and `package_status` ({handed_off, complete, gaps, handoff}: what is missing for a lead never handed
                off or parked in a fallback queue), and `missing_fields` (the model fields a lead stored through an
                integration still lacks: it is scored, qualified and routed once they arrive), and `account` (issue 16:
                {id, name, display_name, domains, contacts, other_contacts, match: {rule, value, score, matched_name,
                linked_at}}, null when the lead has no account). `Accept: text/markdown` or `?format=markdown` returns the package
                as Markdown.
              parameters:
                - {name: id, in: path, required: true, schema: {type: string, minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*[^\\s\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029][^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*$'}}
                - {name: format, in: query, required: false, schema: {type: string, enum: [json, markdown]}}
              responses:
                "200": {description: "the lead (application/json), or its hand-off package (text/markdown)"}
                "400": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
          /leads/{id}/assign:
            post:
              summary: Hand a lead to a named rep (out of the fallback queue, or from another rep)
              description: >-
                Role sales-manager. Stored as an `assign` event (the same one `POST /events` accepts) and answered
                as /events answers one event: 201 applied with the effects, 200 duplicate (same event_id), 400 wrong
                shape, 422 refused by the flow (unknown or departed rep, the rep already holds the lead, a closed
                deal). The rep's first-touch clock starts at `occurred_at` (default now) under `priority` (default the
                lead's policy); the former holder is alerted (`assigned-by-hand`).
              parameters:
                - {name: id, in: path, required: true, schema: {type: string, minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*[^\\s\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029][^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*$'}}
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      required: [rep_id]
                      properties:
                        rep_id: {type: string, minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*[^\\s\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029][^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*$'}
                        assigned_by: {type: string, minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*[^\\s\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029][^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*$', description: "default: the token's name"}
                        priority: {type: string, enum: [high, standard]}
                        note: {type: [string, "null"]}
                        event_id: {type: string, minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*[^\\s\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029][^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*$', description: "default: a new id; send one to make a retry safe"}
                        occurred_at: {type: string, format: date-time, pattern: '^(19[7-9][0-9]|[2-9][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])[Tt](0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?([Zz]|[+-](0[0-9]|1[0-9]|2[0-3]):[0-5][0-9])$', description: "default: now"}
              responses:
                "201": {description: "{event_id, status: applied, effects}"}
                "200": {description: "{event_id, status: duplicate}"}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "409": {$ref: "#/components/responses/Error"}
                "413": {$ref: "#/components/responses/Error"}
                "422": {$ref: "#/components/responses/Error"}
          /leads/{id}/interactions:
            post:
              summary: Capture an e-mail, call or meeting transcript, chat or note for a lead
              description: >-
                Roles ingest, marketing, sales, sales-manager. `text` is plain (`Speaker: text` lines for a call,
                meeting or chat; paragraphs for a note); `raw` is the source as it was (an RFC 5322 message for
                `email`, which needs it; WebVTT for a call or meeting). Stored once per lead and content (200
                duplicate on a repeat), with the playbook trackers' hits; shown in the lead's timeline and in its
                hand-off package under `what_was_said`. 422 when the content cannot be read (its line and column).
              parameters:
                - {name: id, in: path, required: true, schema: {type: string, minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*[^\\s\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029][^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*$'}}
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      required: [kind]
                      additionalProperties: false
                      oneOf:
                        - {required: [text], not: {required: [raw]}}
                        - {required: [raw], not: {required: [text]}}
                      allOf:
                        - {if: {required: [kind], properties: {kind: {const: email}}}, then: {required: [raw]}}
                        - {if: {required: [kind], properties: {kind: {enum: [chat, note]}}}, then: {not: {required: [raw]}}}
                      properties:
                        kind: {type: string, enum: [email, call, meeting, chat, note]}
                        text: {type: string, maxLength: 4194304}
                        raw: {type: string, maxLength: 4194304}
                        occurred_at: {type: string, format: date-time, pattern: '^(19[7-9][0-9]|[2-9][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])[Tt](0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?([Zz]|[+-](0[0-9]|1[0-9]|2[0-3]):[0-5][0-9])$', description: "when the source gives no time"}
                        author: {type: string, minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*[^\\s\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029][^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*$', description: "a note's writer; default the token's name"}
                        source: {type: string, minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*[^\\s\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029][^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*$', description: "a label for the citation; default api"}
              responses:
                "201": {description: "{interaction_id, lead_id, status: stored, tracker_hits, warnings}"}
                "200": {description: "{interaction_id: null, lead_id, status: duplicate, tracker_hits: 0, warnings}"}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "413": {$ref: "#/components/responses/Error"}
                "422": {$ref: "#/components/responses/Error"}
          /leads/{id}/decisions:
            get:
              summary: The lead's decision ledger - why it went where it went
              description: >-
                Roles marketing, sales, sales-manager. Every routing decision (kind `routing`: the rules applied, every rep
                on the roster with verdict chosen, passed_over or skipped and the reason - territory, industry, deal_size,
                left, rule_unresolved, excluded, out_of_office, capacity, specialist, working_hours, weight - with the
                round-robin credit of the reps in the turn; decisions by hand and restorations name who and why) and every
                SLA transition (kind `sla`: the event, phases before and after, the first-touch deadline, and the
                business-time segments the clock ran and will run in the owner's calendar), oldest first. Each entry was
                stored in the same transaction as the decision it explains.
              parameters:
                - {name: id, in: path, required: true, schema: {type: string, minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*[^\\s\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029][^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*$'}}
              responses:
                "200":
                  description: "{lead_id, merged_into, merges, count, decisions: [{kind, at, source, summary, routing, sla}]}"
                  content:
                    application/json:
                      schema:
                        type: object
                        required: [lead_id, merges, count, decisions]
                        properties:
                          lead_id: {type: string}
                          merged_into: {type: string, description: "present while the lead stands merged into another (a second form fill, a CRM merge): that lead's decisions apply from the merge on"}
                          merges:
                            type: array
                            description: every merge the lead took part in, as the merged lead or as the survivor, oldest first
                            items:
                              type: object
                              required: [merged_lead_id, survivor_id, rule, evidence, event_id, merged_at]
                              properties:
                                merged_lead_id: {type: string}
                                survivor_id: {type: string}
                                rule: {type: string, enum: [email, crm]}
                                evidence: {type: string, description: "the normalised e-mail, or the CRM's words"}
                                event_id: {type: string}
                                merged_at: {type: string, format: date-time}
                                ended_at: {type: [string, "null"], format: date-time, description: "when an unmerge ended it"}
                          count: {type: integer, minimum: 0}
                          decisions:
                            type: array
                            items:
                              type: object
                              required: [kind, at, source, summary]
                              properties:
                                kind: {type: string, enum: [routing, sla]}
                                at: {type: string, format: date-time}
                                source: {type: string}
                                summary: {type: string}
                                routing: {type: [object, "null"]}
                                sla: {type: [object, "null"]}
                "400": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
          /reps/{id}/handoffs:
            get:
              summary: Open hand-offs of one rep, oldest first
              parameters: [{name: id, in: path, required: true, schema: {type: string, minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*[^\\s\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029][^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*$'}}]
              responses:
                "200": {description: "{rep_id, count, handoffs}"}
                "404": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "400": {$ref: "#/components/responses/Error"}
          /sla:
            get:
              summary: SLA state — open timers, breaches, open hand-offs
              parameters: [{name: rep, in: query, required: false, schema: {type: string}}]
              responses:
                "200": {description: "{as_of, timers, breaches, handoffs}"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
          /models:
            get:
              summary: Registered weight files and deployments
              responses:
                "200": {description: "{models, deployments}"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
            post:
              summary: Upload a weight file (body is the file); checksum verified
              description: Role admin. Optional query sha256 must equal the content's checksum; label names the version.
              parameters:
                - {name: sha256, in: query, required: false, schema: {type: string, pattern: '^[0-9a-f]{64}$'}}
                - {name: label, in: query, required: false, schema: {type: string}}
              requestBody:
                required: true
                content: {application/json: {schema: {type: object, required: [format, sha256], properties: {format: {const: baton.weights/1}, sha256: {type: string, pattern: '^[0-9a-f]{64}$'}}}}}
              responses:
                "201": {description: registered, content: {application/json: {schema: {$ref: "#/components/schemas/Model"}}}}
                "200": {description: already registered}
                "422": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
          /models/{sha}/promote:
            post:
              summary: >-
                Put a registered model into production (role admin); later scores record it. A model on another
                points scale (base points, base odds, PDO) than production, while the playbook tests points, is
                refused with 409 points_scale_changed listing each threshold's meaning before and after, unless force=true
              parameters:
                - {name: sha, in: path, required: true, schema: {type: string, pattern: '^[0-9a-f]{64}$'}}
                - {name: force, in: query, required: false, schema: {type: string, enum: ["true", "false"]}}
              responses:
                "200": {description: "{production: {sha256, format}}"}
                "409": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "400": {$ref: "#/components/responses/Error"}
          /models/rollback:
            post:
              summary: Put back the previous production model (role admin)
              responses:
                "200": {description: "{production: {sha256, format}}"}
                "409": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
          /tokens:
            get:
              summary: Token names, roles and expiry (never the tokens; role admin)
              responses:
                "200": {description: "{tokens: [{name, role, created_at, expires_at, expired}]}"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
            post:
              summary: Issue a token (role admin); its text is in this answer only
              requestBody:
                required: true
                content:
                  application/json:
                    schema:
                      type: object
                      required: [name, role]
                      properties:
                        name: {type: string, minLength: 1, maxLength: 64, pattern: '^[^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*[^\\s\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029][^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*$'}
                        role: {type: string, enum: [marketing, sales, admin, ingest, sales-manager]}
                        expires_at: {type: [string, "null"], format: date-time, pattern: '^(19[7-9][0-9]|[2-9][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])[Tt](0[0-9]|1[0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?([Zz]|[+-](0[0-9]|1[0-9]|2[0-3]):[0-5][0-9])$', description: "when the token stops working (in the future; absent or null: never); an expired token gets 401 token_expired"}
              responses:
                "201": {description: "{name, role, token, expires_at}"}
                "400": {$ref: "#/components/responses/Error"}
                "422": {$ref: "#/components/responses/Error"}
                "409": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
          /tokens/{name}:
            delete:
              summary: Revoke a token (role admin)
              parameters: [{name: name, in: path, required: true, schema: {type: string, minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*[^\\s\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029][^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*$'}}]
              responses:
                "204": {description: revoked}
                "404": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "400": {$ref: "#/components/responses/Error"}
                "409": {$ref: "#/components/responses/Error"}
          /metrics:
            get:
              summary: Prometheus text (role admin) — ingest counters and latency, outbox depth, dead letter and per-endpoint health, SLA timers and breaches
              responses:
                "200": {description: text/plain; version=0.0.4}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
          /outbox:
            get:
              summary: The outbox (role admin) — every alert, CRM sync and CRM write-back, in store order
              description: >-
                Each row with its state (pending: not yet tried; failed: tried, retry at next_attempt_at; dead: given up
                after a 4xx that cannot succeed, the attempt limit or the age limit, kept until replayed; delivered),
                attempts, last_error, endpoint and the CloudEvents type its webhook body carries. next_cursor (also a
                Link rel=next header) asks for the next page; null on the last.
              parameters:
                - {name: state, in: query, required: false, schema: {type: string, enum: [pending, failed, dead, delivered]}}
                - {name: cursor, in: query, required: false, schema: {type: string, pattern: '^[1-9][0-9]{0,17}$'}}
                - {name: limit, in: query, required: false, schema: {type: integer, minimum: 1, maximum: 500}}
              responses:
                "200": {description: "{entries: [{id, kind, type, lead_id, target, endpoint, state, created_at, attempts, last_error, next_attempt_at, delivered_at, dead_at, replayed_at, payload}], next_cursor}"}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
          /outbox/endpoints:
            get:
              summary: Delivery health per endpoint (role admin)
              responses:
                "200": {description: "{endpoints: [{endpoint, undelivered, failing, dead, oldest_undelivered_at, oldest_undelivered_seconds, last_delivered_at, last_failure_at, consecutive_failures}]}"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
          /outbox/{id}:
            get:
              summary: One outbox row (role admin); the id percent-encoded (e-1%2Fcrm-sync)
              parameters: [{name: id, in: path, required: true, schema: {type: string, minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*[^\\s\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029][^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*$'}}]
              responses:
                "200": {description: "{id, kind, type, lead_id, target, endpoint, state, …}"}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
          /outbox/{id}/replay:
            post:
              summary: Put a dead (or failing) row back in line now, attempts reset (role admin)
              description: 202 with the row; 409 when it was delivered (it is never sent twice); 404 when unknown.
              parameters: [{name: id, in: path, required: true, schema: {type: string, minLength: 1, maxLength: 256, pattern: '^[^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*[^\\s\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029][^\\u0000-\\u001F\\u007F-\\u009F\\u2028\\u2029]*$'}}]
              responses:
                "202": {description: "the row, state pending"}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {$ref: "#/components/responses/Error"}
                "409": {$ref: "#/components/responses/Error"}
          /dashboard:
            get:
              summary: Live dashboard (HTML with SVG charts) for one ISO week (UTC; `week`, default the current one), refreshed by a small script
              description: >-
                Roles marketing, sales, sales-manager (cookie `baton_token`). `?token=` answers a page whose form POSTs the token to
                /dashboard/session (it asks first when the browser holds another token's session); `fragment=1`
                returns the inner HTML only. Pages carry a nonce CSP, X-Frame-Options DENY, Referrer-Policy no-referrer.
              parameters:
                - {name: week, in: query, required: false, schema: {type: string, pattern: '^(19[7-9][0-9]|[2-9][0-9]{3})-W(0[1-9]|[1-4][0-9]|5[0-2])$', example: 2026-W10}}
                - {name: token, in: query, required: false, schema: {type: string}}
                - {name: fragment, in: query, required: false, schema: {type: string, enum: ["1"]}}
              responses:
                "200": {description: text/html}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
          /dashboard/session:
            post:
              summary: Exchange a token for the dashboard cookie (same-origin form POST; the token is checked)
              security: []
              requestBody:
                required: true
                content:
                  application/x-www-form-urlencoded:
                    schema: {type: object, required: [token], properties: {token: {type: string, pattern: '^bt_[0-9a-f]{64}$'}, week: {type: string, pattern: '^(19[7-9][0-9]|[2-9][0-9]{3})-W(0[1-9]|[1-4][0-9]|5[0-2])$', example: 2026-W10}}}
              responses:
                "303": {description: "cookie baton_token (HttpOnly, SameSite=Strict, Path=/dashboard, 12 h; Secure behind https) and the clean URL"}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {description: a cross-site request, or a token that cannot open the dashboard}
          /actions/{token}:
            get:
              summary: A push button's confirmation page (the lead's hand-off and a form that POSTs the action); changes nothing
              description: >-
                No bearer token: the action token (signed, bound to rep, lead and action, expiring) is the credential. HTML, or JSON
                (status ready or used) when Accept names application/json.
              security: []
              parameters:
                - {name: token, in: path, required: true, description: "a push alert's signed action token (base64url payload, '.', base64url HMAC-SHA256)", schema: {type: string, maxLength: 1024}}
              responses:
                "200": {description: "text/html, or application/json {status, action, lead_id, rep_id, event_id, effects, message}"}
                "400": {description: "a malformed token"}
                "403": {description: "a token this server did not sign"}
                "404": {description: "no push channel is configured, or the lead is no longer stored"}
                "410": {description: "the token expired"}
            post:
              summary: Press a push button once (Accept, Log a call, Reassign to triage), applied through the flow as an event with id action-<token id>
              description: >-
                Accept assigns the lead to the token's rep (their first-touch clock starts; for the rep holding it the acceptance is
                recorded and the clock runs on); Log a call records a contact attempt (channel call, outcome from the form or JSON body,
                default connected); Reassign to triage hands the lead the rep holds back to the fallback queue (a release event,
                reason from the form or JSON body, one line of at most 500 characters). A second press is 409 and changes nothing. HTML, or JSON when Accept names application/json.
              security: []
              parameters:
                - {name: token, in: path, required: true, description: "a push alert's signed action token (base64url payload, '.', base64url HMAC-SHA256)", schema: {type: string, maxLength: 1024}}
              requestBody:
                required: false
                content:
                  application/x-www-form-urlencoded:
                    schema: {type: object, properties: {outcome: {type: string, enum: [connected, voicemail, no_answer]}, reason: {type: string, maxLength: 500, pattern: '^[^\\u0000-\\u001F\\u007F-\\u009F]*$'}}}
                  application/json:
                    schema: {type: object, properties: {outcome: {type: string, enum: [connected, voicemail, no_answer]}, reason: {type: string, maxLength: 500, pattern: '^[^\\u0000-\\u001F\\u007F-\\u009F]*$'}}}
              responses:
                "200": {description: "done: text/html, or application/json {status: applied, action, lead_id, rep_id, event_id, effects, message}"}
                "400": {description: "a malformed token or outcome"}
                "403": {description: "a token this server did not sign"}
                "404": {description: "no push channel is configured"}
                "409": {description: "the token was already used; nothing changed"}
                "410": {description: "the token expired; nothing changed"}
                "413": {$ref: "#/components/responses/Error"}
                "422": {description: "refused by the flow (the lead is closed, the rep has left); nothing changed"}
                "503": {$ref: "#/components/responses/Error"}
          /push/vapid-public-key:
            get:
              summary: The VAPID public key browsers subscribe with (applicationServerKey, RFC 8292 §3.2)
              responses:
                "200": {description: "application/json {public_key: base64url of the 65-byte uncompressed P-256 point}"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {description: "no webpush channel is configured"}
          /push/subscriptions:
            post:
              summary: Store a rep's browser Web Push subscription (PushSubscription.toJSON())
              parameters:
                - {name: rep, in: query, required: false, description: "the rep (default the token's name); must be on the roster", schema: {type: string, maxLength: 200}}
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {type: object, required: [endpoint, keys], properties: {endpoint: {type: string, maxLength: 2048}, expirationTime: {type: [number, "null"]}, keys: {type: object, required: [p256dh, auth], properties: {p256dh: {type: string}, auth: {type: string}}}}}
              responses:
                "200": {description: "application/json {rep, endpoint, created: false}: the same browser subscribed again; its keys were replaced"}
                "201": {description: "application/json {rep, endpoint, created: true}"}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {description: "no webpush channel is configured"}
                "413": {$ref: "#/components/responses/Error"}
                "503": {$ref: "#/components/responses/Error"}
            delete:
              summary: Remove a rep's Web Push subscription (the browser unsubscribed)
              parameters:
                - {name: rep, in: query, required: false, description: "the rep (default the token's name); must be on the roster", schema: {type: string, maxLength: 200}}
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {type: object, required: [endpoint], properties: {endpoint: {type: string}}}
              responses:
                "204": {description: removed}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {description: "no such subscription for this rep, or no webpush channel is configured"}
                "503": {$ref: "#/components/responses/Error"}
          /dashboard/push-subscription:
            post:
              summary: The dashboard's Turn on button - store this browser's Web Push subscription for the token's rep
              description: >-
                As POST /push/subscriptions for the rep the token names, authenticated by the bearer token or by the
                dashboard's baton_token cookie from a page of this origin (Sec-Fetch-Site same-origin, or an Origin
                equal to the host); a cookie from another site's page is 401.
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {$ref: "#/paths/~1push~1subscriptions/post/requestBody/content/application~1json/schema"}
              responses:
                "200": {description: "application/json {rep, endpoint, created: false}: the same browser subscribed again; its keys were replaced"}
                "201": {description: "application/json {rep, endpoint, created: true}"}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {description: "no webpush channel is configured"}
                "413": {$ref: "#/components/responses/Error"}
                "503": {$ref: "#/components/responses/Error"}
            delete:
              summary: The dashboard's Turn off - remove this browser's Web Push subscription for the token's rep
              requestBody:
                required: true
                content:
                  application/json:
                    schema: {type: object, required: [endpoint], properties: {endpoint: {type: string}}}
              responses:
                "204": {description: removed}
                "400": {$ref: "#/components/responses/Error"}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
                "404": {description: "no such subscription for this rep, or no webpush channel is configured"}
                "503": {$ref: "#/components/responses/Error"}
          /dashboard/manifest.webmanifest:
            get:
              summary: The dashboard's Web App Manifest (installable web app; no token, no data)
              security: []
              responses:
                "200": {description: application/manifest+json}
          /dashboard/sw.js:
            get:
              summary: The dashboard's service worker (shows Web Push alerts, opens their pages on click; no token, no data)
              security: []
              responses:
                "200": {description: "text/javascript, with Service-Worker-Allowed: /dashboard"}
          /dashboard/icon.svg:
            get:
              summary: The web app's icon (no token)
              security: []
              responses:
                "200": {description: image/svg+xml}
          /openapi.yaml:
            get:
              summary: This document
              responses:
                "200": {description: application/yaml}
                "401": {$ref: "#/components/responses/Error"}
                "403": {$ref: "#/components/responses/Error"}
        """
}
