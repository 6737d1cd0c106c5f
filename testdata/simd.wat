;; SIMD (128-bit packed) fixture: v128.load/store, i32x4.add, f32x4.mul,
;; i8x16.shuffle/swizzle, lane extract/replace, splats, and a relaxed-simd op.
(module $simd
  (memory $mem 1)
  (export "memory" (memory $mem))

  ;; out[i] = a[i] + b[i] for four i32 lanes at byte offsets a, b, out.
  (func $add_i32x4 (export "add_i32x4") (param $a i32) (param $b i32) (param $out i32)
    (v128.store (local.get $out)
      (i32x4.add (v128.load (local.get $a)) (v128.load (local.get $b)))))

  ;; Scale four floats in place by a scalar.
  (func $scale_f32x4 (export "scale_f32x4") (param $p i32) (param $k f32)
    (v128.store offset=0 align=16 (local.get $p)
      (f32x4.mul (v128.load align=16 (local.get $p)) (f32x4.splat (local.get $k)))))

  ;; Reverse the four i32 lanes using a byte shuffle.
  (func $reverse_lanes (export "reverse_lanes") (param $v v128) (result v128)
    (i8x16.shuffle 12 13 14 15 8 9 10 11 4 5 6 7 0 1 2 3
      (local.get $v) (local.get $v)))

  ;; Byte-wise table lookup.
  (func $swizzle (export "swizzle") (param $v v128) (param $idx v128) (result v128)
    (i8x16.swizzle (local.get $v) (local.get $idx)))

  ;; Horizontal sum of four i32 lanes via extract_lane.
  (func $hsum (export "hsum") (param $v v128) (result i32)
    (i32.add
      (i32.add (i32x4.extract_lane 0 (local.get $v)) (i32x4.extract_lane 1 (local.get $v)))
      (i32.add (i32x4.extract_lane 2 (local.get $v)) (i32x4.extract_lane 3 (local.get $v)))))

  ;; Replace lane 2 of an f32x4 and read lane 2 back, plus an unsigned i8 extract.
  (func $set_lane2 (export "set_lane2") (param $v v128) (param $x f32) (result f32 i32)
    (local $w v128)
    (local.set $w (f32x4.replace_lane 2 (local.get $v) (local.get $x)))
    (f32x4.extract_lane 2 (local.get $w))
    (i8x16.extract_lane_u 15 (local.get $w)))

  ;; Lane-wise compare + bitselect: max of two i32x4 vectors.
  (func $max_i32x4 (export "max_i32x4") (param $a v128) (param $b v128) (result v128)
    (v128.bitselect (local.get $a) (local.get $b)
      (i32x4.gt_s (local.get $a) (local.get $b))))

  ;; Relaxed SIMD: fused multiply-add a*b+c.
  (func $fma (export "fma") (param $a v128) (param $b v128) (param $c v128) (result v128)
    (f32x4.relaxed_madd (local.get $a) (local.get $b) (local.get $c)))

  ;; Load 8 bytes and zero-extend to i16x8; load a single lane; any_true.
  (func $widen_any (export "widen_any") (param $p i32) (result i32)
    (local $v v128)
    (local.set $v (v128.load8x8_u (local.get $p)))
    (local.set $v (v128.load32_lane 3 (i32.add (local.get $p) (i32.const 8)) (local.get $v)))
    (v128.any_true (local.get $v)))

  (func $const (export "const") (result v128)
    (v128.const i32x4 1 2 3 0x7fffffff))

  (data (i32.const 0) "\01\00\00\00\02\00\00\00\03\00\00\00\04\00\00\00")
)
