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

pkg_check_modules(NANOMSG REQUIRED IMPORTED_TARGET nanomsg)
pkg_check_modules(PROTOBUFC REQUIRED IMPORTED_TARGET libprotobuf-c)
pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka)
pkg_check_modules(INIH REQUIRED IMPORTED_TARGET inih)
find_program(PROTOC_C protoc-c REQUIRED)
