#!/usr/bin/env bash
# Deploys the hft trading system to Kubernetes with Helm (or plain kubectl), waits for the rollout, smoke-checks
# /health and /ready through the Service, and rolls back automatically when any of that fails.
set -euo pipefail

ROOT="$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)"
CHART="$ROOT/deployment/helm/hft-trading"
MANIFESTS="$ROOT/deployment/kubernetes"
RELEASE="hft-trading"
DEPLOYMENT="hft-trading-system"
SERVICE="hft-trading-service"
# Replicated mode (production's default, or --replicated): the Raft group's StatefulSet and its read Service.
STATEFULSET="hft"
READ_SERVICE="hft"
WORKLOAD="deployment/$DEPLOYMENT"
CONTAINER="hft-trading"
IMAGE_REPOSITORY="hft/trading-system"

ENVIRONMENT=""
TAG=""
NAMESPACE="hft"
METHOD="helm"
TIMEOUT="600s"
REPLICATED=""
DRY_RUN=0

usage() {
  cat <<USAGE
usage: deploy.sh --environment production|staging|development --tag TAG [options]

Deploys hft/trading-system:TAG into namespace hft: production as the replicated group (StatefulSet $STATEFULSET,
Services $READ_SERVICE, hft-leader and $SERVICE), staging and development as the single engine (Deployment $DEPLOYMENT,
Service $SERVICE):
  1. checks the tools (kubectl, helm) and the kubectl context,
  2. creates the namespace and, when missing, Secret hft-secrets from \$HFT_AUTH__SECRET (unset: a random secret),
  3. helm upgrade --install $RELEASE with values-ENV.yaml and config/ENV.toml
     (--method kubectl: kubectl apply -f deployment/kubernetes/ and kubectl set image statefulset/$STATEFULSET),
  4. waits for the rollout, 5. checks /health and /ready through the Service (kubectl port-forward; replicated:
     also /ready?role=leader through Service hft-trading-service, the leader),
  6. on any failure after step 3, rolls back (helm rollback / kubectl rollout undo) and exits 1.

options:
  -e, --environment ENV  production, staging or development (required)
  -t, --tag TAG          image tag, e.g. v1.0.0 (required)
  -n, --namespace NS     namespace (default hft)
      --method M         helm (default) or kubectl (uses deployment/kubernetes/: production, replicated)
      --timeout T        rollout timeout (default 600s)
      --replicated       replicated mode (production's default; with helm also for staging or development):
                         replication.enabled=true, a Raft group (StatefulSet $STATEFULSET, Services $READ_SERVICE,
                         hft-leader and $SERVICE) instead of the Deployment; the rollout and the smoke check then use
                         statefulset/$STATEFULSET and service/$READ_SERVICE
      --single           the single-engine Deployment $DEPLOYMENT (helm only; staging's and development's default):
                         replication.enabled=false
      --dry-run          print every command that changes the cluster instead of running it
  -h, --help             this text
exit codes: 0 deployed, 1 failed (rolled back when something was applied), 2 bad arguments or missing tools
USAGE
}

SCRIPT_NAME=deploy
# shellcheck source=deployment/scripts/common.sh
. "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/common.sh"

parse_args() {
  while [ $# -gt 0 ]; do
    case "$1" in
      -e|--environment) [ $# -ge 2 ] || die "$1 needs a value"; ENVIRONMENT="$2"; shift 2 ;;
      -t|--tag) [ $# -ge 2 ] || die "$1 needs a value"; TAG="$2"; shift 2 ;;
      -n|--namespace) [ $# -ge 2 ] || die "$1 needs a value"; NAMESPACE="$2"; shift 2 ;;
      --method) [ $# -ge 2 ] || die "$1 needs a value"; METHOD="$2"; shift 2 ;;
      --timeout) [ $# -ge 2 ] || die "$1 needs a value"; TIMEOUT="$2"; shift 2 ;;
      --replicated) REPLICATED=1; shift ;;
      --single) REPLICATED=0; shift ;;
      --dry-run) DRY_RUN=1; shift ;;
      -h|--help) usage; exit 0 ;;
      *) usage >&2; die "unknown argument '$1'" ;;
    esac
  done
  case "$ENVIRONMENT" in
    production|staging|development) ;;
    "") usage >&2; die "--environment is required" ;;
    *) die "unknown environment '$ENVIRONMENT' (production, staging or development)" ;;
  esac
  [ -n "$TAG" ] || { usage >&2; die "--tag is required"; }
  [[ "$TAG" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]] || die "invalid image tag '$TAG'"
  case "$METHOD" in
    helm|kubectl) ;;
    *) die "unknown method '$METHOD' (helm or kubectl)" ;;
  esac
  if [ "$METHOD" = kubectl ] && [ "$ENVIRONMENT" != production ]; then
    die "--method kubectl deploys deployment/kubernetes/ (production profile); use helm for $ENVIRONMENT"
  fi
  if [ -z "$REPLICATED" ]; then
    if [ "$ENVIRONMENT" = production ]; then REPLICATED=1; else REPLICATED=0; fi
  fi
  if [ "$REPLICATED" -eq 0 ] && [ "$METHOD" = kubectl ]; then
    die "--single deploys with helm; deployment/kubernetes/ is the replicated group (the single engine: deployment/kubernetes/development, docs/DEPLOYMENT.md)"
  fi
  if [ "$REPLICATED" -eq 1 ]; then
    WORKLOAD="statefulset/$STATEFULSET"
    SERVICE="$READ_SERVICE"
  fi
  [ -f "$ROOT/config/$ENVIRONMENT.toml" ] || die "missing config/$ENVIRONMENT.toml"
  [ -f "$CHART/values-$ENVIRONMENT.yaml" ] || die "missing $CHART/values-$ENVIRONMENT.yaml"
}

check_tools() {
  local missing=()
  local tool
  for tool in kubectl curl; do command -v "$tool" >/dev/null 2>&1 || missing+=("$tool"); done
  if [ "$METHOD" = helm ]; then command -v helm >/dev/null 2>&1 || missing+=("helm"); fi
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$DRY_RUN" -eq 1 ]; then
      log "warning: not installed: ${missing[*]} (needed for a real deployment)"
    else
      die "required tools not installed: ${missing[*]}"
    fi
  fi
}

check_context() {
  if [ "$DRY_RUN" -eq 1 ] && ! command -v kubectl >/dev/null 2>&1; then return 0; fi
  local context
  context="$(kubectl config current-context 2>/dev/null || true)"
  if [ -z "$context" ]; then
    if [ "$DRY_RUN" -eq 1 ]; then log "warning: no kubectl context"; return 0; fi
    die "no kubectl context: configure kubectl for the target cluster"
  fi
  log "context '$context', namespace '$NAMESPACE', environment '$ENVIRONMENT', image $IMAGE_REPOSITORY:$TAG"
  if [ "$DRY_RUN" -eq 0 ] && ! kubectl version --request-timeout=10s >/dev/null 2>&1; then
    die "the cluster of context '$context' does not answer"
  fi
}

ensure_namespace_and_secret() {
  if [ "$DRY_RUN" -eq 1 ]; then
    run kubectl create namespace "$NAMESPACE"
    log "would create Secret hft-secrets from \$HFT_AUTH__SECRET (unset: a random one) if it does not exist"
    return 0
  fi
  kubectl get namespace "$NAMESPACE" >/dev/null 2>&1 || kubectl create namespace "$NAMESPACE"
  if ! kubectl get secret hft-secrets -n "$NAMESPACE" >/dev/null 2>&1; then
    if [ -n "${HFT_AUTH__SECRET:-}" ]; then
      kubectl create secret generic hft-secrets -n "$NAMESPACE" --from-literal=HFT_AUTH__SECRET="$HFT_AUTH__SECRET"
    elif [ "$ENVIRONMENT" != development ]; then
      # 32 random bytes as hex: the JWT signing key, generated here and kept only in the cluster.
      local generated
      generated="$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')"
      [ "${#generated}" -eq 64 ] || die "could not read 32 random bytes for Secret hft-secrets"
      kubectl create secret generic hft-secrets -n "$NAMESPACE" --from-literal=HFT_AUTH__SECRET="$generated" >/dev/null
      log "created Secret hft-secrets with a random HFT_AUTH__SECRET (set HFT_AUTH__SECRET to choose it)"
    fi
  fi
}

PREVIOUS_REVISION=""
APPLIED=0

apply_helm() {
  if [ "$DRY_RUN" -eq 0 ]; then
    PREVIOUS_REVISION="$(helm history "$RELEASE" -n "$NAMESPACE" --max 1 -o json 2>/dev/null | sed -n 's/.*"revision":\([0-9]*\).*/\1/p' | head -n 1 || true)"
  fi
  APPLIED=1
  local mode=(--set replication.enabled=false)
  if [ "$REPLICATED" -eq 1 ]; then mode=(--set replication.enabled=true); fi
  run helm upgrade --install "$RELEASE" "$CHART" --namespace "$NAMESPACE" \
    -f "$CHART/values-$ENVIRONMENT.yaml" \
    --set "image.tag=$TAG" ${mode[@]+"${mode[@]}"} \
    --set-file "config.toml=$ROOT/config/$ENVIRONMENT.toml" \
    --timeout "$TIMEOUT"
}

apply_kubectl() {
  APPLIED=1
  run kubectl apply -f "$MANIFESTS/"
  run kubectl set image "statefulset/$STATEFULSET" "$CONTAINER=$IMAGE_REPOSITORY:$TAG" -n "$NAMESPACE"
}

wait_rollout() {
  run kubectl rollout status "$WORKLOAD" -n "$NAMESPACE" --timeout "$TIMEOUT"
}

free_port() {
  local port
  for port in $(seq 18080 18180); do
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then echo "$port"; return 0; fi
  done
  return 1
}

smoke_check() {
  smoke_service "$SERVICE" /health /ready || return 1
  # Replicated mode: order entry must reach a leader (the role-labeler's label): Service hft-trading-service selects it
  # like hft-leader and also has the operations port 8080 (hft-leader has the API port only).
  if [ "$REPLICATED" -eq 1 ]; then smoke_service hft-trading-service "/ready?role=leader" || return 1; fi
}

# Port-forwards to SERVICE and waits (up to 60 s) until every PATH answers 200.
smoke_service() {
  local service="$1" path
  shift
  if [ "$DRY_RUN" -eq 1 ]; then
    run kubectl port-forward "service/$service" "18080:8080" -n "$NAMESPACE"
    for path in "$@"; do run curl -fsS "http://127.0.0.1:18080$path"; done
    return 0
  fi
  local port pf="" ok=1 attempt all
  port="$(free_port)" || { log "no free local port for the smoke check"; return 1; }
  for attempt in $(seq 1 30); do
    # (re)start the port-forward: it exits when the Service has no pod yet, e.g. before a leader is labelled
    if [ -z "$pf" ] || ! kill -0 "$pf" 2>/dev/null; then
      kubectl port-forward "service/$service" "$port:8080" -n "$NAMESPACE" >/dev/null 2>&1 &
      pf=$!
      sleep 1
    fi
    all=0
    for path in "$@"; do
      curl -fsS --max-time 2 "http://127.0.0.1:$port$path" >/dev/null 2>&1 || { all=1; break; }
    done
    if [ "$all" -eq 0 ]; then
      ok=0
      log "smoke check passed (service/$service: $* answer 200, attempt $attempt)"
      break
    fi
    sleep 2
  done
  kill "$pf" 2>/dev/null || true
  wait "$pf" 2>/dev/null || true
  [ "$ok" -eq 0 ] || log "smoke check failed: service/$service: $* did not all answer 200 within 60 s"
  return "$ok"
}

rollback() {
  [ "$APPLIED" -eq 1 ] || return 0
  log "rolling back"
  if [ "$METHOD" = helm ]; then
    if [ -n "$PREVIOUS_REVISION" ]; then
      run helm rollback "$RELEASE" "$PREVIOUS_REVISION" -n "$NAMESPACE" --wait --timeout "$TIMEOUT" || log "helm rollback failed"
    else
      log "first installation: nothing to roll back to; uninstalling"
      run helm uninstall "$RELEASE" -n "$NAMESPACE" || log "helm uninstall failed"
    fi
  else
    run kubectl rollout undo "$WORKLOAD" -n "$NAMESPACE" || log "kubectl rollout undo failed"
  fi
}

main() {
  parse_args "$@"
  check_tools
  check_context
  ensure_namespace_and_secret
  local status=0
  if [ "$METHOD" = helm ]; then apply_helm || status=1; else apply_kubectl || status=1; fi
  if [ "$status" -eq 0 ]; then wait_rollout || status=1; fi
  if [ "$status" -eq 0 ]; then smoke_check || status=1; fi
  if [ "$status" -ne 0 ]; then
    rollback
    log "FAILED: $IMAGE_REPOSITORY:$TAG not deployed to $ENVIRONMENT"
    exit 1
  fi
  if [ "$DRY_RUN" -eq 1 ]; then
    log "dry run complete: nothing was changed"
  else
    log "deployed $IMAGE_REPOSITORY:$TAG to $ENVIRONMENT (namespace $NAMESPACE)"
  fi
}

main "$@"
