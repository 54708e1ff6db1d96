//! The system allocator, asking Linux to back large blocks with 2 MB pages.
//!
//! A million attendees take 128 MB, their file 25 MB, their positions and index tens more.
//! In 4 KB pages each block costs one page fault per page the first time it is written:
//! 50,000 faults, about half of loading a million-row CSV (measured with `perf stat`). In
//! transparent huge pages the same blocks cost a few hundred, and memory is unchanged (the
//! blocks are written whole). Where the kernel offers huge pages only on request
//! (`/sys/kernel/mm/transparent_hugepage/enabled` = `madvise`, a common default) this makes
//! the request for blocks of 4 MB and more; elsewhere the advice does nothing.

use std::alloc::{GlobalAlloc, Layout, System};

/// The allocator of the `earshot` binary.
pub struct Allocator;

/// Blocks at least this large are advised.
const LARGE: usize = 4 << 20;

/// A transparent huge page.
const HUGE: usize = 2 << 20;

/// Advises the kernel to back the whole huge pages inside `len` bytes from `ptr` with huge
/// pages.
#[cfg(target_os = "linux")]
fn advise(ptr: *mut u8, len: usize) {
    let start = (ptr as usize).next_multiple_of(HUGE);
    let end = (ptr as usize).saturating_add(len) / HUGE * HUGE;
    if end > start {
        // SAFETY: the range lies inside a block this process was just given; the advice
        // changes no contents and no mapping, only the size of the pages that later back it
        // (failure leaves 4 KB pages, so the result is ignored).
        unsafe {
            libc::madvise(start as *mut libc::c_void, end - start, libc::MADV_HUGEPAGE);
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn advise(_ptr: *mut u8, _len: usize) {}

// SAFETY: every call is the system allocator's, with the same arguments; the blocks it
// returns are only advised (see `advise`).
unsafe impl GlobalAlloc for Allocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller keeps `GlobalAlloc::alloc`'s contract, which `System` shares
        let ptr = unsafe { System.alloc(layout) };
        if layout.size() >= LARGE && !ptr.is_null() {
            advise(ptr, layout.size());
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: as `alloc`
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if layout.size() >= LARGE && !ptr.is_null() {
            advise(ptr, layout.size());
        }
        ptr
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: as `alloc`
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if new_size >= LARGE && !new.is_null() {
            advise(new, new_size);
        }
        new
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: as `alloc`
        unsafe { System.dealloc(ptr, layout) }
    }
}
