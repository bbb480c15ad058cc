// Command ferretdb serves an embedded FerretDB v1 on a TCP port, on SQLite files or on a
// PostgreSQL server (-postgresql-url).
//
// It exists because `go install .../cmd/ferretdb@v1.24.2` builds a binary that panics at start
// (the version file is generated at release time); embedding the library avoids that.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"github.com/FerretDB/FerretDB/ferretdb"
)

func main() {
	listen := flag.String("listen", "127.0.0.1:27017", "TCP address to listen on")
	dataDir := flag.String("data", "data/ferretdb", "directory for the SQLite files")
	postgresBin := flag.String("postgresql-bin", "", "folder with PostgreSQL's initdb and postgres: run a PostgreSQL cluster in -data and keep the data there instead of in SQLite files")
	logLevel := flag.String("log-level", "warn", "debug, info, warn or error")
	watchStdin := flag.Bool("exit-on-stdin-eof", false, "stop when standard input closes (the parent process died)")
	flag.Parse()

	var level slog.Level
	if err := level.UnmarshalText([]byte(*logLevel)); err != nil {
		fmt.Fprintf(os.Stderr, "invalid -log-level %q: %v\n", *logLevel, err)
		os.Exit(2)
	}
	logger := slog.New(slog.NewJSONHandler(os.Stderr, &slog.HandlerOptions{Level: level}))

	abs, err := filepath.Abs(*dataDir)
	if err != nil {
		logger.Error("bad data directory", "error", err)
		os.Exit(2)
	}
	if err := os.MkdirAll(abs, 0o700); err != nil {
		logger.Error("cannot create data directory", "error", err)
		os.Exit(1)
	}

	config := &ferretdb.Config{
		Listener:  ferretdb.ListenerConfig{TCP: *listen},
		Logger:    logger,
		Handler:   "sqlite",
		SQLiteURL: "file:" + abs + "/",
	}
	where := abs + " (SQLite)"
	var pg *postgresServer
	if *postgresBin != "" {
		pg, err = startPostgres(context.Background(), *postgresBin, abs, logger)
		if err != nil {
			logger.Error("cannot start PostgreSQL", "error", err)
			os.Exit(1)
		}
		config.Handler = "postgresql"
		config.SQLiteURL = ""
		config.PostgreSQLURL = pg.url()
		where = abs + " (PostgreSQL)"
	}
	f, err := ferretdb.New(config)
	if err != nil {
		logger.Error("cannot start FerretDB", "error", err)
		if pg != nil {
			pg.stop()
		}
		os.Exit(1)
	}

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	if *watchStdin {
		// A parent killed with SIGKILL cannot stop us; its end of our stdin closing tells us instead.
		go func() {
			_, _ = io.Copy(io.Discard, os.Stdin)
			stop()
		}()
	}

	pgDied := make(chan struct{})
	if pg != nil {
		// PostgreSQL gone while serving: exit with an error, so the parent's supervisor restarts both.
		go func() {
			err := <-pg.exited
			pg.exited <- err
			if ctx.Err() == nil {
				logger.Error("PostgreSQL stopped unexpectedly", "error", err)
				close(pgDied)
				stop()
			}
		}()
	}

	// The parent process watches for this line (and then pings) to know the server is up.
	fmt.Printf("ferretdb listening on %s, data in %s\n", *listen, where)
	runErr := f.Run(ctx)
	if runErr != nil {
		logger.Error("FerretDB stopped with an error", "error", runErr)
	}
	if pg != nil {
		pg.stop()
	}
	select {
	case <-pgDied:
		os.Exit(1)
	default:
	}
	if runErr != nil {
		os.Exit(1)
	}
}
