//go:build linux

package prefault

import (
	"syscall"
	"unsafe"
)

const madvPopulateRead = 22 // MADV_POPULATE_READ, <linux/mman.h> (Linux 5.14); the syscall package does not name it

func init() {
	if lo, hi := textMapping(); hi > lo {
		_, _, _ = syscall.Syscall(syscall.SYS_MADVISE, lo, hi-lo, madvPopulateRead)
	}
}

// textMapping returns the bounds of the executable mapping that holds this
// package's own code, as /proc/self/maps lists it ("lo-hi r-xp …"); an empty
// range when it cannot tell.
func textMapping() (lo, hi uintptr) {
	pc := ownCode()
	fd, err := syscall.Open("/proc/self/maps", syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return 0, 0
	}
	defer syscall.Close(fd)
	// The binary's own mappings come first (lowest addresses), and a line is
	// under 256 bytes, so 16 KiB is plenty; a line cut off at the end of the
	// buffer is not read.
	var buf [16 << 10]byte
	n := 0
	for n < len(buf) {
		m, err := syscall.Read(fd, buf[n:])
		if err != nil || m <= 0 {
			break
		}
		n += m
	}
	for rest := buf[:n]; len(rest) > 0; {
		end := index(rest, '\n')
		if end < 0 {
			break
		}
		if lo, hi, exec, ok := parseLine(rest[:end]); ok && exec && lo <= pc && pc < hi {
			return lo, hi
		}
		rest = rest[end+1:]
	}
	return 0, 0
}

// ownCode returns the address of this package's code (textMapping's).
func ownCode() uintptr {
	f := textMapping
	return **(**uintptr)(unsafe.Pointer(&f)) // a func value points to its code pointer
}

// parseLine reads the address range and whether the mapping is executable
// from one line of /proc/self/maps: "00400000-00978000 r-xp 00000000 …".
func parseLine(line []byte) (lo, hi uintptr, exec, ok bool) {
	i := 0
	lo, i, ok = hex(line, i)
	if !ok || i >= len(line) || line[i] != '-' {
		return 0, 0, false, false
	}
	hi, i, ok = hex(line, i+1)
	if !ok || i+5 > len(line) || line[i] != ' ' || hi <= lo {
		return 0, 0, false, false
	}
	return lo, hi, line[i+3] == 'x', true
}

// hex reads the hexadecimal number at line[i:], returning where it ends.
func hex(line []byte, i int) (v uintptr, end int, ok bool) {
	start := i
	for ; i < len(line); i++ {
		c := line[i]
		switch {
		case '0' <= c && c <= '9':
			c -= '0'
		case 'a' <= c && c <= 'f':
			c -= 'a' - 10
		default:
			return v, i, i > start && i-start <= 16
		}
		v = v<<4 | uintptr(c)
	}
	return v, i, i > start && i-start <= 16
}

func index(b []byte, c byte) int {
	for i := range b {
		if b[i] == c {
			return i
		}
	}
	return -1
}
