package main

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// clockTick is the unit of utime and stime in /proc/PID/stat (USER_HZ,
// 100 on Linux).
const clockTick = 10 * time.Millisecond

// procCPU returns the user plus system CPU time process pid has used, read
// from /proc (Linux). ok is false when it cannot be read.
func procCPU(pid int) (d time.Duration, ok bool) {
	raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0, false
	}
	// The command name may hold spaces: fields are counted after its ')'.
	_, rest, found := strings.Cut(string(raw), ") ")
	f := strings.Fields(rest)
	if !found || len(f) < 13 {
		return 0, false
	}
	utime, err1 := strconv.ParseInt(f[11], 10, 64) // field 14 of the whole line
	stime, err2 := strconv.ParseInt(f[12], 10, 64) // field 15
	if err1 != nil || err2 != nil {
		return 0, false
	}
	return time.Duration(utime+stime) * clockTick, true
}

// selfCPU returns the CPU time this process has used.
func selfCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// backendCPU returns the CPU time used by each PostgreSQL backend (on this
// machine) whose connection set application_name to app, by pid.
func backendCPU(ctx context.Context, db *sql.DB, app string) (map[int]time.Duration, error) {
	rows, err := db.QueryContext(ctx, "SELECT pid FROM pg_stat_activity WHERE application_name = $1", app)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int]time.Duration{}
	for rows.Next() {
		var pid int
		if err := rows.Scan(&pid); err != nil {
			return nil, err
		}
		if d, ok := procCPU(pid); ok {
			out[pid] = d
		}
	}
	return out, rows.Err()
}

// cpuSample is the CPU time used so far by the three parts of a load test:
// the load generator (this process), the service process and its
// database backends.
type cpuSample struct {
	client, server time.Duration
	db             map[int]time.Duration
}

// takeCPUSample reads a cpuSample; server and db stay zero where they
// cannot be read.
func takeCPUSample(ctx context.Context, db *sql.DB, serverPID int, app string) cpuSample {
	s := cpuSample{client: selfCPU()}
	s.server, _ = procCPU(serverPID)
	s.db, _ = backendCPU(ctx, db, app)
	return s
}

// since returns the CPU time used by each part between s0 and s; a backend
// that appeared since counts from zero.
func (s cpuSample) since(s0 cpuSample) (client, server, db time.Duration) {
	for pid, d := range s.db {
		db += d - s0.db[pid]
	}
	return s.client - s0.client, s.server - s0.server, db
}
