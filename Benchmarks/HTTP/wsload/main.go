// wsload: the WebSocket echo load client of Benchmarks/HTTP/run-websocket.sh. Standard library
// only (Go's has no WebSocket, and the benchmark machine reaches no module proxy), so the
// RFC 6455 handshake and the client's masked frames are written here by hand.
//
// Echo mode opens -c connections, has each send one text message and wait for its echo before
// the clock starts, then has every connection send a message, wait for the echo and send again
// for -d, and prints one line of key=value pairs: messages per second, latency percentiles in
// microseconds, errors and the client's own CPU use (a client near one full CPU is the
// bottleneck, not the server).
//
// Idle mode (-idle) opens -c connections, echoes one message on each (so that the server has
// finished every upgrade), prints "ready connections=N" and holds them open until SIGTERM.
//
//	wsload -url ws://127.0.0.1:8080/ -c 1000 -d 10s -size 32
//	wsload -url ws://127.0.0.1:8080/ -c 1000 -idle
package main

import (
	"bufio"
	"crypto/rand"
	"crypto/sha1"
	"encoding/base64"
	"encoding/binary"
	"errors"
	"flag"
	"fmt"
	"io"
	"math/bits"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

const (
	opContinuation = 0x0
	opText         = 0x1
	opBinary       = 0x2
	opClose        = 0x8
	opPing         = 0x9
	opPong         = 0xA
)

// conn is one client WebSocket connection.
type conn struct {
	net.Conn
	reader *bufio.Reader
	frame  []byte // the outgoing frame, reused
	masks  uint64 // xorshift state for the masking keys: crypto/rand per frame costs a syscall
}

// dial connects and completes the opening handshake (RFC 6455 section 4.1).
func dial(target *url.URL) (*conn, error) {
	c, err := net.DialTimeout("tcp", target.Host, 10*time.Second)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, 16)
	rand.Read(nonce)
	key := base64.StdEncoding.EncodeToString(nonce)
	fmt.Fprintf(c, "GET %s HTTP/1.1\r\nHost: %s\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"+
		"Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n\r\n", target.RequestURI(), target.Host, key)
	reader := bufio.NewReaderSize(c, 4096)
	response, err := http.ReadResponse(reader, &http.Request{Method: "GET"})
	if err != nil {
		c.Close()
		return nil, err
	}
	digest := sha1.Sum([]byte(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11"))
	if response.StatusCode != http.StatusSwitchingProtocols ||
		response.Header.Get("Sec-WebSocket-Accept") != base64.StdEncoding.EncodeToString(digest[:]) {
		c.Close()
		return nil, fmt.Errorf("handshake refused: %s", response.Status)
	}
	return &conn{Conn: c, reader: reader, masks: binary.LittleEndian.Uint64(nonce) | 1}, nil
}

// writeFrame sends one final frame, masked as a client must (section 5.3), in one write.
func (c *conn) writeFrame(opcode byte, payload []byte) error {
	frame := append(c.frame[:0], 0x80|opcode)
	switch n := len(payload); {
	case n < 126:
		frame = append(frame, 0x80|byte(n))
	case n < 1<<16:
		frame = append(frame, 0x80|126, byte(n>>8), byte(n))
	default:
		frame = append(frame, 0x80|127)
		frame = binary.BigEndian.AppendUint64(frame, uint64(n))
	}
	c.masks ^= c.masks << 13
	c.masks ^= c.masks >> 7
	c.masks ^= c.masks << 17
	var mask [4]byte
	binary.LittleEndian.PutUint32(mask[:], uint32(c.masks))
	frame = append(frame, mask[:]...)
	start := len(frame)
	frame = append(frame, payload...)
	for i := range payload {
		frame[start+i] ^= mask[i&3]
	}
	c.frame = frame
	_, err := c.Write(frame)
	return err
}

// readMessage returns the next text or binary message, joining fragments and answering pings.
func (c *conn) readMessage(into []byte) ([]byte, error) {
	message := into[:0]
	var header [8]byte
	for {
		if _, err := io.ReadFull(c.reader, header[:2]); err != nil {
			return nil, err
		}
		fin, opcode := header[0]&0x80 != 0, header[0]&0x0F
		if header[1]&0x80 != 0 {
			return nil, errors.New("masked frame from the server")
		}
		length := uint64(header[1] & 0x7F)
		switch length {
		case 126:
			if _, err := io.ReadFull(c.reader, header[:2]); err != nil {
				return nil, err
			}
			length = uint64(binary.BigEndian.Uint16(header[:2]))
		case 127:
			if _, err := io.ReadFull(c.reader, header[:8]); err != nil {
				return nil, err
			}
			length = binary.BigEndian.Uint64(header[:8])
		}
		if length > 1<<24 {
			return nil, fmt.Errorf("frame of %d bytes", length)
		}
		start := len(message)
		message = append(message, make([]byte, length)...)
		if _, err := io.ReadFull(c.reader, message[start:]); err != nil {
			return nil, err
		}
		switch opcode {
		case opPing:
			payload := append([]byte(nil), message[start:]...)
			message = message[:start]
			if err := c.writeFrame(opPong, payload); err != nil {
				return nil, err
			}
		case opPong:
			message = message[:start]
		case opClose:
			return nil, fmt.Errorf("closed by the server: %x", message[start:])
		case opText, opBinary, opContinuation:
			if fin {
				return message, nil
			}
		default:
			return nil, fmt.Errorf("opcode %#x", opcode)
		}
	}
}

// echo sends payload and waits for it to come back unchanged.
func (c *conn) echo(payload, buffer []byte) ([]byte, error) {
	if err := c.writeFrame(opText, payload); err != nil {
		return buffer, err
	}
	reply, err := c.readMessage(buffer)
	if err != nil {
		return buffer, err
	}
	if string(reply) != string(payload) {
		return reply, errors.New("the echo differs from the message")
	}
	return reply, nil
}

// close sends a normal closure (1000) and waits briefly for the server's.
func (c *conn) close() {
	c.writeFrame(opClose, []byte{0x03, 0xE8})
	c.SetReadDeadline(time.Now().Add(2 * time.Second))
	c.readMessage(nil)
	c.Close()
}

// histogram counts latencies in microseconds: exact below 256, then 128 steps per power of two
// (under 1% error).
type histogram [4096]uint64

func bucket(us uint64) int {
	if us < 256 {
		return int(us)
	}
	shift := bits.Len64(us) - 8
	return shift*128 + int(us>>shift)
}

func bucketValue(index int) uint64 {
	if index < 256 {
		return uint64(index)
	}
	shift := index/128 - 1
	return uint64(index%128+128) << shift
}

func (h *histogram) add(d time.Duration) {
	index := bucket(uint64(d.Microseconds()))
	if index >= len(h) {
		index = len(h) - 1
	}
	h[index]++
}

func (h *histogram) percentile(p float64, total uint64) uint64 {
	if total == 0 {
		return 0
	}
	rank := uint64(p * float64(total))
	if rank >= total {
		rank = total - 1
	}
	var seen uint64
	for index, count := range h {
		seen += count
		if count > 0 && seen > rank {
			return bucketValue(index)
		}
	}
	return 0
}

// connectAll opens count connections, at most 64 dials at a time (the server's listen backlog is
// not what is measured), and echoes one message on each.
func connectAll(target *url.URL, count int, payload []byte) ([]*conn, error) {
	conns := make([]*conn, count)
	errs := make(chan error, count)
	slots := make(chan struct{}, 64)
	var wg sync.WaitGroup
	for i := range conns {
		wg.Add(1)
		slots <- struct{}{}
		go func(i int) {
			defer wg.Done()
			defer func() { <-slots }()
			c, err := dial(target)
			if err == nil {
				_, err = c.echo(payload, nil)
			}
			if err != nil {
				errs <- err
				return
			}
			conns[i] = c
		}(i)
	}
	wg.Wait()
	close(errs)
	if err := <-errs; err != nil {
		return conns, err
	}
	return conns, nil
}

func cpuSeconds() float64 {
	var usage syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &usage)
	return time.Duration(usage.Utime.Nano() + usage.Stime.Nano()).Seconds()
}

func main() {
	address := flag.String("url", "ws://127.0.0.1:8080/", "the echo server's WebSocket URL")
	count := flag.Int("c", 1000, "connections")
	duration := flag.Duration("d", 10*time.Second, "how long to send messages")
	size := flag.Int("size", 32, "message size in bytes (text)")
	idle := flag.Bool("idle", false, "open the connections, echo once on each, hold them until SIGTERM")
	flag.Parse()
	target, err := url.Parse(*address)
	if err != nil || target.Scheme != "ws" {
		fmt.Fprintln(os.Stderr, "wsload: -url must be ws://HOST:PORT/PATH")
		os.Exit(2)
	}
	payload := make([]byte, *size)
	for i := range payload {
		payload[i] = 'a' + byte(i%26)
	}

	conns, err := connectAll(target, *count, payload)
	if err != nil {
		fmt.Fprintln(os.Stderr, "wsload: connecting:", err)
		os.Exit(1)
	}
	if *idle {
		signals := make(chan os.Signal, 1)
		signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT)
		fmt.Printf("ready connections=%d\n", len(conns))
		<-signals
		os.Exit(0)
	}

	histograms := make([]histogram, len(conns))
	var messages, failures atomic.Uint64
	var wg sync.WaitGroup
	cpuBefore, start := cpuSeconds(), time.Now()
	deadline := start.Add(*duration)
	for i, c := range conns {
		wg.Add(1)
		go func(c *conn, h *histogram) {
			defer wg.Done()
			buffer := make([]byte, 0, len(payload))
			var sent uint64
			defer func() { messages.Add(sent) }()
			for time.Now().Before(deadline) {
				began := time.Now()
				var err error
				if buffer, err = c.echo(payload, buffer); err != nil {
					failures.Add(1)
					fmt.Fprintln(os.Stderr, "wsload:", err)
					return
				}
				h.add(time.Since(began))
				sent++
			}
		}(c, &histograms[i])
	}
	wg.Wait()
	elapsed, cpu := time.Since(start).Seconds(), cpuSeconds()-cpuBefore

	var total histogram
	var counted uint64
	for i := range histograms {
		for index, n := range histograms[i] {
			total[index] += n
			counted += n
		}
	}
	var closing sync.WaitGroup
	for _, c := range conns {
		closing.Add(1)
		go func(c *conn) { defer closing.Done(); c.close() }(c)
	}
	closing.Wait()
	fmt.Printf("connections=%d messages=%d seconds=%.2f rate=%.1f p50_us=%d p99_us=%d p999_us=%d max_us=%d errors=%d client_cpu=%.2f\n",
		len(conns), messages.Load(), elapsed, float64(messages.Load())/elapsed,
		total.percentile(0.50, counted), total.percentile(0.99, counted), total.percentile(0.999, counted),
		total.percentile(1, counted), failures.Load(), cpu/elapsed)
}
