#!/bin/bash -eu
# OSS-Fuzz / ClusterFuzzLite build: the same targets, built with the engine's $CC/$CFLAGS and
# linked with $LIB_FUZZING_ENGINE (libFuzzer, AFL++ or honggfuzz), plus seed corpora and
# dictionaries. Source lists and flags come from fuzz/fuzz.mk. Runs from the repository root
# ($SRC/humpy in the container); locally: OUT=build/oss-fuzz-out fuzz/oss-fuzz/build.sh
cd "${SRC:-.}/${SRC:+humpy}"
: "${CC:=clang}" "${CXX:=clang++}" "${CFLAGS:=-fsanitize=address,undefined,fuzzer-no-link}"
: "${CXXFLAGS:=$CFLAGS}" "${LIB_FUZZING_ENGINE:=-fsanitize=fuzzer}" "${OUT:=build/oss-fuzz}"
BUILD=${WORK:-build}/humpy-oss-fuzz
mkdir -p "$OUT" "$BUILD"
OUT=$(realpath "$OUT")

make -s BUILD="$BUILD" spec
make -s BUILD="$BUILD" FUZZ_TRACE_SEEDS=no fuzz-seeds
cflags=$(make -s BUILD="$BUILD" fuzz-cflags)
wrap=$(make -s BUILD="$BUILD" fuzz-wrap)
# Only the code under test is traced (fuzz-sut-<target>, as in fuzz.mk): the harness and the
# oracle get $CFLAGS without the coverage flags, and AFL++'s compiler an allowlist.
untraced=()
for f in $CFLAGS; do
	case "$f" in
	-fsanitize-coverage=*) ;;
	-fsanitize=*)
		f=$(sed -E 's/(fuzzer-no-link|fuzzer),?//g; s/,$//' <<<"$f")
		[ "$f" = -fsanitize= ] || untraced+=("$f")
		;;
	*) untraced+=("$f") ;;
	esac
done
for t in $(make -s BUILD="$BUILD" fuzz-targets); do
	objs=()
	sut=" $(make -s BUILD="$BUILD" "fuzz-sut-$t") "
	allow=$BUILD/allowlist-$t.txt
	printf 'source:%s\n' $sut >"$allow"
	for src in $(make -s BUILD="$BUILD" "fuzz-srcs-$t"); do
		obj=$BUILD/obj/$t/${src//\//_}.o
		mkdir -p "$(dirname "$obj")"
		if [[ "$sut" == *" $src "* ]]; then
			# shellcheck disable=SC2086
			AFL_LLVM_ALLOWLIST=$(realpath "$allow") $CC $CFLAGS $cflags -c "$src" -o "$obj"
		else
			# shellcheck disable=SC2086
			AFL_LLVM_ALLOWLIST=$(realpath "$allow") $CC "${untraced[@]}" $cflags -c "$src" -o "$obj"
		fi
		objs+=("$obj")
	done
	# shellcheck disable=SC2086
	$CXX $CXXFLAGS "${objs[@]}" $LIB_FUZZING_ENGINE $wrap -o "$OUT/$t"
	rm -f "$OUT/${t}_seed_corpus.zip"
	zip -q -j -r "$OUT/${t}_seed_corpus.zip" "$BUILD/fuzz/seeds/$t"
	for d in "$BUILD/fuzz/dict/$t.dict" "fuzz/dict/$t.dict"; do
		[ -f "$d" ] && cp "$d" "$OUT/$t.dict"
	done
	# Regression reproducers must stay fixed: ship them inside the seed corpus too.
	if compgen -G "fuzz/regressions/$t/*" >/dev/null; then
		zip -q -j "$OUT/${t}_seed_corpus.zip" fuzz/regressions/"$t"/*
	fi
done
echo "oss-fuzz build: $(ls "$OUT")"
