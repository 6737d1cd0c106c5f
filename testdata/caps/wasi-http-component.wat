;; Convention: WASI 0.2 HTTP proxy component (`wasmtime serve`), component model.
;; Demonstrates: exporting `wasi:http/incoming-handler@0.2.0` (handle(request,
;; response-out): the component is an HTTP server) while importing
;; `wasi:http/outgoing-handler@0.2.0` (it also makes outgoing requests) and
;; `wasi:io/streams@0.2.0` (request body writes), plus the `wasi:http/types`
;; resources they share. Instance types are cut down to what is used and
;; error-code / stream-error are small stand-ins for the real variants; names are real.
;; Reachable from the exported handle: every lowered import below.
(component $C
  (import "wasi:io/streams@0.2.0" (instance $streams
    (export "output-stream" (type $os (sub resource)))
    (export "[method]output-stream.blocking-write-and-flush"
      (func (param "self" (borrow $os)) (param "contents" (list u8)) (result (result))))))
  (alias export $streams "output-stream" (type $output-stream))
  (import "wasi:http/types@0.2.0" (instance $types
    (alias outer $C $output-stream (type $os0))
    (export "output-stream" (type $os (eq $os0)))
    (export "fields" (type $fields (sub resource)))
    (export "incoming-request" (type (sub resource)))
    (export "outgoing-request" (type $req (sub resource)))
    (export "outgoing-body" (type $body (sub resource)))
    (export "response-outparam" (type (sub resource)))
    (export "[constructor]fields" (func (result (own $fields))))
    (export "[constructor]outgoing-request" (func (param "headers" (own $fields)) (result (own $req))))
    (export "[method]outgoing-request.body" (func (param "self" (borrow $req)) (result (result (own $body)))))
    (export "[method]outgoing-body.write" (func (param "self" (borrow $body)) (result (result (own $os)))))))
  (alias export $types "incoming-request" (type $incoming-request))
  (alias export $types "outgoing-request" (type $outgoing-request))
  (alias export $types "response-outparam" (type $response-outparam))
  (import "wasi:http/outgoing-handler@0.2.0" (instance $outgoing-handler
    (alias outer $C $outgoing-request (type $r0))
    (export "outgoing-request" (type $r (eq $r0)))
    (export "future-incoming-response" (type $fut (sub resource)))
    (type $ec (enum "DNS-timeout" "connection-refused" "HTTP-request-denied" "internal-error"))
    (export "error-code" (type $ec' (eq $ec)))
    (export "handle" (func (param "request" (own $r)) (result (result (own $fut) (error $ec')))))))

  (core module $Mem (memory (export "memory") 1))
  (core instance $mem-instance (instantiate $Mem))
  (alias core export $mem-instance "memory" (core memory $mem))

  (core module $Main
    (import "env" "memory" (memory 1))
    (import "wasi:http/types@0.2.0" "[constructor]fields" (func $new-fields (result i32)))
    (import "wasi:http/types@0.2.0" "[constructor]outgoing-request" (func $new-request (param i32) (result i32)))
    (import "wasi:http/types@0.2.0" "[method]outgoing-request.body" (func $request-body (param i32 i32)))
    (import "wasi:http/types@0.2.0" "[method]outgoing-body.write" (func $body-write (param i32 i32)))
    (import "wasi:http/types@0.2.0" "[resource-drop]incoming-request" (func $drop-incoming (param i32)))
    (import "wasi:io/streams@0.2.0" "[method]output-stream.blocking-write-and-flush"
      (func $write (param i32 i32 i32) (result i32)))
    (import "wasi:http/outgoing-handler@0.2.0" "handle" (func $send (param i32 i32)))
    (data (i32.const 16) "ping")
    (func $forward (param $incoming i32) (result i32)
      (local $req i32)
      (local.set $req (call $new-request (call $new-fields)))
      (call $request-body (local.get $req) (i32.const 64))           ;; -> result<own<outgoing-body>>
      (call $body-write (i32.load offset=4 (i32.const 64)) (i32.const 72))
      (drop (call $write (i32.load offset=4 (i32.const 72)) (i32.const 16) (i32.const 4)))
      (call $send (local.get $req) (i32.const 80))                   ;; -> result<own<future>, error-code>
      (call $drop-incoming (local.get $incoming))
      (i32.load offset=4 (i32.const 80)))
    (func (export "wasi:http/incoming-handler@0.2.0#handle") (param $request i32) (param $response-out i32)
      (drop (call $forward (local.get $request)))))

  (core func $new-fields (canon lower (func $types "[constructor]fields")))
  (core func $new-request (canon lower (func $types "[constructor]outgoing-request")))
  (core func $request-body (canon lower (func $types "[method]outgoing-request.body") (memory $mem)))
  (core func $body-write (canon lower (func $types "[method]outgoing-body.write") (memory $mem)))
  (core func $drop-incoming (canon resource.drop $incoming-request))
  (core func $write (canon lower (func $streams "[method]output-stream.blocking-write-and-flush") (memory $mem)))
  (core func $send (canon lower (func $outgoing-handler "handle") (memory $mem)))
  (core instance $main (instantiate $Main
    (with "env" (instance $mem-instance))
    (with "wasi:http/types@0.2.0" (instance
      (export "[constructor]fields" (func $new-fields))
      (export "[constructor]outgoing-request" (func $new-request))
      (export "[method]outgoing-request.body" (func $request-body))
      (export "[method]outgoing-body.write" (func $body-write))
      (export "[resource-drop]incoming-request" (func $drop-incoming))))
    (with "wasi:io/streams@0.2.0" (instance
      (export "[method]output-stream.blocking-write-and-flush" (func $write))))
    (with "wasi:http/outgoing-handler@0.2.0" (instance (export "handle" (func $send))))))

  (func $handle (param "request" (own $incoming-request)) (param "response-out" (own $response-outparam))
    (canon lift (core func $main "wasi:http/incoming-handler@0.2.0#handle")))
  (instance $incoming-handler (export "handle" (func $handle)))
  (export "wasi:http/incoming-handler@0.2.0" (instance $incoming-handler)))
