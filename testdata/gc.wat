;; GC fixture: struct and array types, a recursive type group, subtyping with
;; (sub ...)/(sub final ...), struct.new/get/set, array.new/get/set/len,
;; ref.cast, ref.test, br_on_cast, br_on_cast_fail and i31 references.
(module $gc
  ;; A small class hierarchy: Shape <: Circle, Shape <: Rect (final).
  (type $shape (sub (struct (field $id i32))))
  (type $circle (sub $shape (struct (field $id i32) (field $r (mut f64)))))
  (type $rect (sub final $shape (struct (field $id i32) (field $w f64) (field $h f64))))

  ;; A recursive group: a linked list of shapes.
  (rec
    (type $node (struct (field $val (ref $shape)) (field $next (mut (ref null $node)))))
    (type $visit (func (param (ref $node)) (result i32))))

  (type $f64s (array (mut f64)))
  (type $bytes (array i8))

  (func $make_circle (export "make_circle") (param $r f64) (result (ref $circle))
    (struct.new $circle (i32.const 1) (local.get $r)))

  (func $grow (export "grow") (param $c (ref $circle))
    (struct.set $circle $r (local.get $c)
      (f64.mul (struct.get $circle $r (local.get $c)) (f64.const 2))))

  ;; Compute area by dynamic dispatch on the runtime type.
  (func $area (export "area") (param $s (ref $shape)) (result f64)
    (local $r f64)
    (block $not_circle (result (ref $shape))
      (br_on_cast_fail $not_circle (ref $shape) (ref $circle) (local.get $s))
      (local.set $r (struct.get $circle $r))
      (return (f64.mul (f64.const 3.14159) (f64.mul (local.get $r) (local.get $r)))))
    (if (result f64) (ref.test (ref $rect))
      (then
        (f64.mul (struct.get $rect $w (ref.cast (ref $rect) (local.get $s)))
                 (struct.get $rect $h (ref.cast (ref $rect) (local.get $s)))))
      (else (drop (struct.get $shape $id (local.get $s))) (f64.const 0))))

  ;; Count list nodes whose value is a circle, using br_on_cast.
  (func $count_circles (type $visit) (param $n (ref $node)) (result i32)
    (local $cur (ref null $node)) (local $count i32)
    (local.set $cur (local.get $n))
    (block $done
      (loop $next
        (br_if $done (ref.is_null (local.get $cur)))
        (block $skip
          (block $is_circle (result (ref $circle))
            (br_on_cast $is_circle (ref $shape) (ref $circle)
              (struct.get $node $val (local.get $cur)))
            (drop)
            (br $skip))
          (drop)
          (local.set $count (i32.add (local.get $count) (i32.const 1))))
        (local.set $cur (struct.get $node $next (local.get $cur)))
        (br $next)))
    (local.get $count))

  (func $list2 (export "list2") (result i32)
    (call $count_circles
      (struct.new $node (call $make_circle (f64.const 1))
        (struct.new $node (struct.new $rect (i32.const 2) (f64.const 1) (f64.const 2))
          (ref.null $node)))))

  ;; Arrays: fill, write, read back and take the length.
  (func $arrays (export "arrays") (param $n i32) (result f64 i32)
    (local $a (ref $f64s))
    (local.set $a (array.new $f64s (f64.const 0.5) (local.get $n)))
    (array.set $f64s (local.get $a) (i32.const 0) (f64.const 9))
    (array.get $f64s (local.get $a) (i32.const 0))
    (array.len (array.new_fixed $bytes 3 (i32.const 1) (i32.const 2) (i32.const 3))))

  ;; i31: box a small integer and unbox it through anyref.
  (func $i31 (export "i31") (param $x i32) (result i32)
    (local $any anyref)
    (local.set $any (ref.i31 (local.get $x)))
    (i31.get_s (ref.cast (ref i31) (local.get $any))))
)
