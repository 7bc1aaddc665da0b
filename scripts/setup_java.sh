#!/usr/bin/env bash
# Set up the Java runtime that local Spark needs (local mode runs the Glue ETL job's
# script on pyspark, which starts a JVM): Java 17, as on Glue 5.0.
#   - nothing to do when `java` 17 or newer is on PATH (or JAVA_HOME/bin/java);
#   - otherwise installs Debian's openjdk-17-jre-headless with apt-get (needs root, as in
#     CI; otherwise prints the command to run and fails).
# Idempotent and quick when Java is there.
set -euo pipefail

java_bin="${JAVA_HOME:+$JAVA_HOME/bin/}java"
if command -v "$java_bin" >/dev/null 2>&1; then
  version="$("$java_bin" -version 2>&1 | awk -F'"' '/version/ {print $2; exit}')"
  major="${version%%.*}"
  if [[ "$major" =~ ^[0-9]+$ ]] && (( major >= 17 )); then
    echo "setup_java: java $version present"
    exit 0
  fi
  echo "setup_java: java $version is older than 17" >&2
fi

if ! command -v apt-get >/dev/null; then
  echo "setup_java: Java 17 missing and no apt-get here: install a Java 17 runtime and set JAVA_HOME" >&2
  exit 1
fi

SUDO=""
if [[ "$(id -u)" != 0 ]]; then
  if command -v sudo >/dev/null; then
    SUDO="sudo"
  else
    echo "setup_java: Java 17 missing; as root run: apt-get update && apt-get install -y openjdk-17-jre-headless" >&2
    exit 1
  fi
fi

echo "setup_java: ============================================================"
echo "setup_java: Java 17 is missing: INSTALLING Debian's openjdk-17-jre-headless with apt-get"
echo "setup_java: ============================================================"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends openjdk-17-jre-headless
java -version
echo "setup_java: java installed"
