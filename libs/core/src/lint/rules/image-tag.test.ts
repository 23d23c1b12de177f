import { describe, expect, it } from 'vitest';
import { lintDockerfile } from '../index';

const hits = (...lines: string[]) =>
  lintDockerfile([...lines, 'USER 1000'].join('\n'), 'D')
    .filter((f) => f.rule === 'image-tag')
    .map((f) => f.line);

describe('image-tag', () => {
  it('flags an image without tag or digest', () => {
    expect(hits('FROM python')).toEqual([1]);
  });

  it('flags the latest tag', () => {
    expect(hits('FROM python:latest')).toEqual([1]);
  });

  it('flags an untagged image behind a registry port', () => {
    expect(hits('FROM localhost:5000/ml/python')).toEqual([1]);
  });

  it('flags an untagged ARG default used by FROM, on the FROM line', () => {
    expect(hits('ARG BASE_IMAGE=python', '', 'FROM ${BASE_IMAGE} AS base')).toEqual([3]);
  });

  it('flags an untagged image behind --platform', () => {
    expect(hits('FROM --platform=$BUILDPLATFORM python AS build')).toEqual([1]);
  });

  it('accepts a tagged ARG default and stages built from earlier stages', () => {
    expect(
      hits(
        'ARG BASE_IMAGE=python:3.11-slim-bookworm',
        'FROM ${BASE_IMAGE} AS base',
        'FROM BASE AS final',
      ),
    ).toEqual([]);
  });

  it('accepts ${VAR:-default} with a tagged default, a digest and scratch', () => {
    expect(
      hits(
        'ARG REG',
        'FROM ${REG:-docker.io}/python:3.11 AS a',
        'FROM python@sha256:0123abcd AS b',
        'FROM scratch',
      ),
    ).toEqual([]);
  });

  it('skips an image that comes only from a --build-arg', () => {
    expect(hits('ARG BASE_IMAGE', 'FROM ${BASE_IMAGE}')).toEqual([]);
  });
});
