#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| mentionmap_fuzz::geonames(data));
