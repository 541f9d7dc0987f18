# Host libraries, all from Debian (scripts/deps.sh installs them).
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)

pkg_check_modules(UNICORN IMPORTED_TARGET unicorn)
if(NOT UNICORN_FOUND OR UNICORN_VERSION VERSION_LESS 2.1)
  message(FATAL_ERROR
    "outboard needs Unicorn >= 2.1 (found: '${UNICORN_VERSION}'). "
    "Unicorn 2.0.1 from Debian bookworm runs guest code about 12x slower. "
    "Run 'make deps' as root: on bookworm it adds the trixie suite at apt pin "
    "priority 100 and installs libunicorn-dev from it "
    "('apt-get install -t trixie libunicorn-dev').")
endif()
message(STATUS "Unicorn ${UNICORN_VERSION} (>= 2.1 required)")
# outboard-cpu links Unicorn statically when the archive is there: the shared
# library carries every architecture's symbols, and resolving them costs
# about 3.5 ms at each start (measured; bench/ compares start-up with qemu).
find_library(UNICORN_ARCHIVE NAMES libunicorn.a HINTS ${UNICORN_LIBRARY_DIRS})
add_library(ob_unicorn INTERFACE)
if(UNICORN_ARCHIVE)
  target_include_directories(ob_unicorn INTERFACE ${UNICORN_INCLUDE_DIRS})
  target_link_libraries(ob_unicorn INTERFACE ${UNICORN_ARCHIVE} Threads::Threads m)
  message(STATUS "Unicorn: linking ${UNICORN_ARCHIVE}")
else()
  target_link_libraries(ob_unicorn INTERFACE PkgConfig::UNICORN)
endif()

pkg_check_modules(NANOMSG REQUIRED IMPORTED_TARGET nanomsg)
pkg_check_modules(PROTOBUFC REQUIRED IMPORTED_TARGET libprotobuf-c)
pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka)
pkg_check_modules(INIH REQUIRED IMPORTED_TARGET inih)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
find_program(PROTOC_C protoc-c REQUIRED)
