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

# Every process of a run (launcher, host, each plugin) pays the dynamic
# loader for each shared library at every start: about 1.2 ms of CPU per
# process for these four on the VMs measured (docs/performance.md,
# "Linking"). Debian's -dev packages ship their static archives, which are
# linked when present; nanomsg has none. OFF links them all shared (for a
# distribution that wants library security updates without a rebuild).
option(OUTBOARD_STATIC_DEPS
  "link Debian's static archives of libprotobuf-c, libinih, libsodium and libseccomp" ON)

# ob_prefer_archive(TARGET ARCHIVE [LIBS...]): make the pkg-config imported
# TARGET link ARCHIVE (looked up beside its shared library) and LIBS instead.
function(ob_prefer_archive target archive)
  if(NOT OUTBOARD_STATIC_DEPS)
    return()
  endif()
  get_target_property(libs ${target} INTERFACE_LINK_LIBRARIES)
  set(hints)
  foreach(lib ${libs})
    get_filename_component(dir "${lib}" DIRECTORY)
    list(APPEND hints "${dir}")
  endforeach()
  string(MAKE_C_IDENTIFIER "OB_ARCHIVE_${archive}" var)
  find_library(${var} NAMES ${archive} HINTS ${hints})
  if(${var})
    set_property(TARGET ${target} PROPERTY INTERFACE_LINK_LIBRARIES "${${var}}" ${ARGN})
    message(STATUS "${target}: linking ${${var}}")
  endif()
endfunction()

pkg_check_modules(NANOMSG REQUIRED IMPORTED_TARGET nanomsg)
pkg_check_modules(PROTOBUFC REQUIRED IMPORTED_TARGET libprotobuf-c)
pkg_check_modules(CMOCKA REQUIRED IMPORTED_TARGET cmocka)
pkg_check_modules(INIH REQUIRED IMPORTED_TARGET inih)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
ob_prefer_archive(PkgConfig::PROTOBUFC libprotobuf-c.a)
ob_prefer_archive(PkgConfig::INIH libinih.a)
ob_prefer_archive(PkgConfig::SODIUM libsodium.a Threads::Threads)
find_program(PROTOC_C protoc-c REQUIRED)
