# CMake package configuration of kcache: find_package(kcache) then
#   target_link_libraries(app PRIVATE kcache::kcache)          # libkcache.so
#   target_link_libraries(app PRIVATE kcache::kcache_static)   # libkcache.a
# Installed as PREFIX/lib/cmake/kcache/kcacheConfig.cmake; the prefix is found from this file's
# own place, so an installed tree can be moved.
get_filename_component(_kcache_prefix "${CMAKE_CURRENT_LIST_DIR}/../../.." ABSOLUTE)

set(kcache_INCLUDE_DIRS "${_kcache_prefix}/include")
set(kcache_LIBRARIES kcache::kcache)
set(kcache_KCACHED "${_kcache_prefix}/bin/kcached")

if(NOT TARGET kcache::kcache)
  add_library(kcache::kcache SHARED IMPORTED)
  set_target_properties(kcache::kcache PROPERTIES
    IMPORTED_LOCATION "${_kcache_prefix}/lib/libkcache.so"
    # libkcache.so has no SONAME: link it as -lkcache, so that programs name it by file name.
    IMPORTED_NO_SONAME TRUE
    INTERFACE_INCLUDE_DIRECTORIES "${_kcache_prefix}/include")
endif()

if(NOT TARGET kcache::kcache_static AND EXISTS "${_kcache_prefix}/lib/libkcache.a")
  add_library(kcache::kcache_static STATIC IMPORTED)
  set_target_properties(kcache::kcache_static PROPERTIES
    IMPORTED_LOCATION "${_kcache_prefix}/lib/libkcache.a"
    INTERFACE_INCLUDE_DIRECTORIES "${_kcache_prefix}/include"
    # What the Rust standard library inside libkcache.a needs from the system.
    INTERFACE_LINK_LIBRARIES "gcc_s;util;rt;pthread;m;dl;c")
endif()

set(kcache_FOUND TRUE)
unset(_kcache_prefix)
