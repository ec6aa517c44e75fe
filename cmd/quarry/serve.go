package main

import (
	"context"
	"crypto/tls"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/quarry-sql/quarry/engine"
	"github.com/quarry-sql/quarry/server"
)

const serveUsage = `Usage: quarry serve [--listen 127.0.0.1:8080] [--tls-cert FILE --tls-key FILE]
                    [--users FILE] [--read-only-users a,b] [--user-scan-limit a=1TB,*=100GB] [global flags]

Serves the Trino client protocol (POST /v1/statement) for BI tools and drivers,
the web console at /, /v1/info, /healthz, /readyz and Prometheus /metrics.
`

// runServe runs the server until SIGINT or SIGTERM, then drains: new
// statements are refused, running queries get --shutdown-timeout to finish
// and be fetched, the rest are cancelled.
func runServe(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("quarry serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, serveUsage); fs.PrintDefaults() }
	var g globals
	g.register(fs)
	listen := fs.String("listen", "127.0.0.1:8080", "address to listen on (loopback unless told otherwise)")
	certFile := fs.String("tls-cert", "", "TLS certificate file (PEM)")
	keyFile := fs.String("tls-key", "", "TLS private key file (PEM)")
	usersFile := fs.String("users", "", "users file (user:bcrypt-hash per line); when set every request must authenticate with HTTP Basic")
	readOnly := fs.String("read-only-users", "", "comma-separated users who may only run SELECT, SHOW, DESCRIBE, EXPLAIN and USE")
	userScan := fs.String("user-scan-limit", "", "per-user scan limits, user=size comma-separated, * for everyone else (e.g. alice=1TB,*=100GB)")
	rateLimit := fs.Float64("rate-limit", 50, "statements per second per user (0: unlimited)")
	rateBurst := fs.Int("rate-burst", 200, "burst of statements per user above --rate-limit")
	maxRunning := fs.Int("max-running", 0, "queries executing at once; more wait queued (default 2 × cores)")
	maxBody := fs.Int64("max-body", 1<<20, "largest statement text in bytes")
	clientTimeout := fs.Duration("client-timeout", 5*time.Minute, "cancel a query whose client has not fetched results for this long")
	shutdownTimeout := fs.Duration("shutdown-timeout", 30*time.Second, "on SIGTERM, how long running queries may finish before they are cancelled")
	logLevel := fs.String("log-level", "info", "debug, info, warn or error")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "quarry serve: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	if (*certFile == "") != (*keyFile == "") {
		fmt.Fprintln(stderr, "quarry serve: --tls-cert and --tls-key go together")
		return 2
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(stderr, "quarry serve: --log-level: %v\n", err)
		return 2
	}
	if g.quiet && level < slog.LevelWarn {
		level = slog.LevelWarn
	}
	log := slog.New(slog.NewJSONHandler(stderr, &slog.HandlerOptions{Level: level}))

	cfg, err := g.config()
	if err != nil {
		fmt.Fprintf(stderr, "quarry serve: %v\n", err)
		return 2
	}
	var users *server.Users
	if *usersFile != "" {
		if users, err = server.LoadUsers(*usersFile); err != nil {
			fmt.Fprintf(stderr, "quarry serve: --users: %v\n", err)
			return 2
		}
		if *certFile == "" {
			log.Warn("password authentication without TLS sends passwords in clear text; use --tls-cert and --tls-key beyond loopback")
		}
	}
	var tlsCfg *tls.Config
	if *certFile != "" {
		cert, err := tls.LoadX509KeyPair(*certFile, *keyFile)
		if err != nil {
			fmt.Fprintf(stderr, "quarry serve: TLS: %v\n", err)
			return 2
		}
		tlsCfg = &tls.Config{Certificates: []tls.Certificate{cert}, MinVersion: tls.VersionTLS12}
	}

	eng, err := engine.Open(cfg)
	if err != nil {
		fmt.Fprintf(stderr, "quarry: %v\n", err)
		return 1
	}
	defer eng.Close()
	reportRecovered(eng, stderr, false)
	var ro []string
	if *readOnly != "" {
		ro = strings.Split(*readOnly, ",")
	}
	scanLimits, err := server.ParseUserScanLimits(*userScan, parseSize)
	if err != nil {
		fmt.Fprintf(stderr, "quarry serve: --user-scan-limit: %v\n", err)
		return 2
	}
	srv, err := server.New(server.Config{Engine: eng, Logger: log, Version: version, Users: users, ReadOnlyUsers: ro, UserScanLimits: scanLimits,
		MaxBodyBytes: *maxBody, RateLimit: *rateLimit, RateBurst: *rateBurst, MaxRunning: *maxRunning,
		ClientTimeout: *clientTimeout})
	if err != nil {
		fmt.Fprintf(stderr, "quarry serve: %v\n", err)
		return 1
	}
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		fmt.Fprintf(stderr, "quarry serve: %v\n", err)
		return 1
	}
	if tlsCfg != nil {
		ln = tls.NewListener(ln, tlsCfg)
	}
	hs := &http.Server{
		Handler:           srv.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		IdleTimeout:       2 * time.Minute,
		MaxHeaderBytes:    256 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	scheme := "http"
	if tlsCfg != nil {
		scheme = "https"
	}
	log.Info("quarry serve listening", "url", scheme+"://"+ln.Addr().String(), "version", version,
		"catalog", cfg.CatalogDir, "auth", users != nil, "tls", tlsCfg != nil)
	if !g.quiet {
		fmt.Fprintf(stdout, "quarry serve: %s://%s\n", scheme, ln.Addr())
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			log.Error("serve", "error", err.Error())
			return 1
		}
		return 0
	case <-ctx.Done():
	}
	stop() // a second signal kills the process
	log.Info("shutting down", "timeout", shutdownTimeout.String())
	dctx, cancel := context.WithTimeout(context.Background(), *shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(dctx); err != nil {
		log.Warn("drain incomplete; remaining queries cancelled", "error", err.Error())
	}
	hctx, hcancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer hcancel()
	if err := hs.Shutdown(hctx); err != nil {
		log.Warn("http shutdown", "error", err.Error())
	}
	log.Info("stopped")
	return 0
}
