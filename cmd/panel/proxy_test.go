package main

import (
	"io"
	"net"
	"sync"
	"sync/atomic"
	"testing"
)

// tcpProxy forwards TCP connections from a loopback port to a target. It
// can cut (close its listener and every connection, as a network outage
// would) and restore (listen again on the same port), or black-hole (keep
// every connection open but pass nothing on, as a hung server or a
// half-open link does) and heal.
type tcpProxy struct {
	target string
	addr   string // host:port the proxy listens on, stable across restore

	mu    sync.Mutex
	ln    net.Listener
	conns map[net.Conn]struct{}
	links map[*proxyLink]struct{}
	hole  bool // black-holed: new connections are swallowed
	wg    sync.WaitGroup
}

// proxyLink is one forwarded connection; once dead it swallows everything
// both ways for good, as a link that broke silently never comes back.
type proxyLink struct{ dead atomic.Bool }

// newProxy starts a proxy to target on 127.0.0.1:0; it is closed when the
// test ends.
func newProxy(t testing.TB, target string) *tcpProxy {
	t.Helper()
	p := &tcpProxy{target: target, conns: map[net.Conn]struct{}{}, links: map[*proxyLink]struct{}{}}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("proxy listen: %v", err)
	}
	p.addr = ln.Addr().String()
	p.serve(ln)
	t.Cleanup(func() {
		p.cut()
		p.wg.Wait()
	})
	return p
}

func (p *tcpProxy) serve(ln net.Listener) {
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	p.wg.Add(1)
	go func() {
		defer p.wg.Done()
		for {
			c, err := ln.Accept()
			if err != nil {
				return // listener closed by cut
			}
			p.wg.Add(1)
			go func() {
				defer p.wg.Done()
				p.forward(c)
			}()
		}
	}()
}

// forward copies c to and from a new connection to the target until either
// side closes or cut closes both. While the proxy is black-holed, c is
// accepted but never connected: what it sends is read and dropped.
func (p *tcpProxy) forward(c net.Conn) {
	p.mu.Lock()
	hole := p.hole
	p.mu.Unlock()
	if hole {
		if !p.track(c) {
			c.Close()
			return
		}
		defer p.untrack(c)
		_, _ = io.Copy(io.Discard, c)
		c.Close()
		return
	}
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	if !p.track(c, up) {
		c.Close()
		up.Close()
		return
	}
	link := &proxyLink{}
	p.mu.Lock()
	p.links[link] = struct{}{}
	p.mu.Unlock()
	defer func() {
		p.mu.Lock()
		delete(p.links, link)
		p.mu.Unlock()
		p.untrack(c, up)
	}()
	done := make(chan struct{}, 2)
	go func() { pump(up, c, link); done <- struct{}{} }()
	go func() { pump(c, up, link); done <- struct{}{} }()
	<-done
	c.Close()
	up.Close()
	<-done
}

// pump copies src to dst until either fails, dropping everything once the
// link is dead.
func pump(dst, src net.Conn, link *proxyLink) {
	buf := make([]byte, 32<<10)
	for {
		n, err := src.Read(buf)
		if n > 0 && !link.dead.Load() {
			if _, werr := dst.Write(buf[:n]); werr != nil {
				return
			}
		}
		if err != nil {
			return
		}
	}
}

// track registers live connections; it refuses them once cut.
func (p *tcpProxy) track(cs ...net.Conn) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln == nil {
		return false
	}
	for _, c := range cs {
		p.conns[c] = struct{}{}
	}
	return true
}

func (p *tcpProxy) untrack(cs ...net.Conn) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, c := range cs {
		delete(p.conns, c)
	}
}

// cut closes the listener and every forwarded connection.
func (p *tcpProxy) cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for c := range p.conns {
		c.Close()
		delete(p.conns, c)
	}
}

// restore listens on the proxy's port again.
func (p *tcpProxy) restore(t testing.TB) {
	t.Helper()
	ln, err := net.Listen("tcp", p.addr)
	if err != nil {
		t.Fatalf("proxy listen again on %s: %v", p.addr, err)
	}
	p.serve(ln)
}

// blackhole makes every open connection dead for good and swallows new
// ones, without closing anything: the client sees a server that accepts
// and then never answers.
func (p *tcpProxy) blackhole() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.hole = true
	for l := range p.links {
		l.dead.Store(true)
	}
}

// heal forwards new connections again; those that died stay dead until
// their client closes them.
func (p *tcpProxy) heal() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.hole = false
}
