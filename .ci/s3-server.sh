#!/usr/bin/env bash
# Starts a local S3-compatible server (versitygw, posix backend) for the
# objstore/s3 tests, installing it first if it is missing.
#
#   source .ci/s3-server.sh     # exports the variables below into this shell
#   eval "$(.ci/s3-server.sh)"  # same, from a child process
#
# Exports QUARRY_TEST_S3_ENDPOINT, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
# AWS_REGION and QUARRY_TEST_S3_PID, and prints them as export lines on
# stdout; progress goes to stderr. quarry_s3_stop stops the server.
# Written to be sourced: it never calls exit and never sets shell options.

quarry_s3_start() {
	local version=v1.8.0
	local bin
	bin=$(command -v versitygw 2>/dev/null) || true
	if [ -z "$bin" ]; then
		bin="$(go env GOPATH)/bin/versitygw"
	fi
	if [ ! -x "$bin" ]; then
		echo "s3-server: installing versitygw $version" >&2
		if ! CGO_ENABLED=0 go install "github.com/versity/versitygw/cmd/versitygw@$version" >&2; then
			echo "s3-server: go install github.com/versity/versitygw/cmd/versitygw@$version did not succeed" >&2
			return 1
		fi
	fi

	local port=${QUARRY_TEST_S3_PORT:-}
	if [ -z "$port" ]; then
		# First free port from a range unlikely to collide with other services.
		local p
		for p in $(seq 17070 17170); do
			if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
				port=$p
				break
			fi
		done
	fi
	if [ -z "$port" ]; then
		echo "s3-server: no free port in 17070-17170" >&2
		return 1
	fi

	local dir log
	dir=$(mktemp -d "${TMPDIR:-/tmp}/quarry-s3.XXXXXX") || return 1
	mkdir -p "$dir/root" "$dir/meta"
	log="$dir/versitygw.log"
	local key=quarrytest secret=quarrytestsecret
	# --sidecar keeps object metadata in plain files, so the data folder
	# needs no extended-attribute support (tmpfs, overlayfs in containers).
	"$bin" --port "127.0.0.1:$port" --access "$key" --secret "$secret" \
		posix --sidecar "$dir/meta" "$dir/root" >"$log" 2>&1 &
	local pid=$!

	local i
	for i in $(seq 1 100); do
		if ! kill -0 "$pid" 2>/dev/null; then
			echo "s3-server: versitygw exited at startup; log $log:" >&2
			cat "$log" >&2
			return 1
		fi
		if curl -s -o /dev/null "http://127.0.0.1:$port/" 2>/dev/null; then
			break
		fi
		sleep 0.1
	done
	if ! curl -s -o /dev/null "http://127.0.0.1:$port/"; then
		echo "s3-server: versitygw on 127.0.0.1:$port did not answer within 10s; log $log" >&2
		kill "$pid" 2>/dev/null
		return 1
	fi

	export QUARRY_TEST_S3_ENDPOINT="http://127.0.0.1:$port"
	export QUARRY_TEST_S3_PID=$pid
	export QUARRY_TEST_S3_DIR=$dir
	export AWS_ACCESS_KEY_ID=$key
	export AWS_SECRET_ACCESS_KEY=$secret
	export AWS_REGION=us-east-1
	echo "s3-server: versitygw pid $pid serving $dir/root at $QUARRY_TEST_S3_ENDPOINT" >&2
	local v
	for v in QUARRY_TEST_S3_ENDPOINT QUARRY_TEST_S3_PID QUARRY_TEST_S3_DIR AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_REGION; do
		printf 'export %s=%q\n' "$v" "${!v}"
	done
}

quarry_s3_stop() {
	if [ -n "${QUARRY_TEST_S3_PID:-}" ]; then
		kill "$QUARRY_TEST_S3_PID" 2>/dev/null || true
		wait "$QUARRY_TEST_S3_PID" 2>/dev/null || true
	fi
	if [ -n "${QUARRY_TEST_S3_DIR:-}" ]; then
		rm -rf "$QUARRY_TEST_S3_DIR" || true
	fi
	unset QUARRY_TEST_S3_ENDPOINT QUARRY_TEST_S3_PID QUARRY_TEST_S3_DIR
}

quarry_s3_start
